/**
 * The engine API: one typed contract shared by the renderer, the Electron
 * preload and `webbdesk serve` (ARCHITECTURE.md "The engine API and the two
 * transports", STYLE.md section 2). Every method takes one readonly plain
 * object and returns a Promise; events are `onDidX`. Big arrays travel as
 * ArrayBuffer (transferred, never JSON), always with `dtype` and `shape`
 * (slowest axis first, C order). Paths are absolute and must lie inside an
 * open project folder or the CRDS cache.
 *
 * This file holds types and the method/event name lists only (the preload
 * and the renderer may import it).
 */

/** Numeric element types of transported arrays. 64-bit integers arrive as float64. */
export type ArrayDtype = 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

/** An N-d array crossing a transport: raw little-endian host-order bytes. */
export interface ArrayPayload {
  readonly buffer: ArrayBuffer;
  readonly dtype: ArrayDtype;
  /** Slowest axis first. */
  readonly shape: readonly number[];
}

/** Errors cross as plain data and are rebuilt by core/errors `reviveError`. */
export interface WireError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
}

// ------------------------------------------------------------------ projects

export type Stage =
  | 'uncal' | 'ramp' | 'rate' | 'rateints' | 'cal' | 'calints' | 'x1d' | 'x1dints' | 'whtlt'
  | 's2d' | 's3d' | 'crf' | 'crfints' | 'asn' | 'other';

/** One data file found in a project, as its name tells (headers come from `projects.summaries`). */
export interface ProjectFile {
  readonly path: string;
  /** Path relative to the project root, '/' separated. */
  readonly relative: string;
  readonly name: string;
  readonly size: number;
  readonly stage: Stage;
  /** From the JWST file name jw<PPPPP><OOO><VVV>_<GGSAA>_<EEEEE>[-segNNN]_<detector>_<suffix>; null when it does not follow it. */
  readonly program: string | null;
  readonly observation: string | null;
  readonly visit: string | null;
  readonly exposure: string | null;
  readonly segment: string | null;
  readonly detector: string | null;
  /** Set when the file was written by a WebbDesk run (under .webbdesk/runs/<runId>/). */
  readonly runId: string | null;
}

/** Files of one exposure on one detector, all stages together. */
export interface ExposureGroup {
  /** e.g. 'jw09999001001_03101_00001_mirimage'. */
  readonly key: string;
  readonly observation: string;
  readonly visit: string;
  readonly exposure: string;
  readonly detector: string;
  readonly files: readonly ProjectFile[];
}

export interface ProjectScan {
  readonly root: string;
  readonly name: string;
  readonly groups: readonly ExposureGroup[];
  /** Files that do not follow the JWST naming (still openable). */
  readonly other: readonly ProjectFile[];
  readonly scannedAt: string;
}

/** Key header values of one file, read lazily. null = keyword absent. */
export interface FileSummary {
  readonly path: string;
  readonly model: string | null;
  readonly instrument: string | null;
  readonly expType: string | null;
  readonly detector: string | null;
  readonly subarray: string | null;
  readonly filter: string | null;
  readonly nints: number | null;
  readonly ngroups: number | null;
  readonly error: string | null;
}

export interface ProjectOutliers {
  readonly path: string;
  /** 1-based integration numbers marked as outliers (honoured by later runs). */
  readonly integrations: readonly number[];
}

// ------------------------------------------------------------------ files

export interface HduEntry {
  readonly index: number;
  readonly type: string;
  readonly extname: string | null;
  readonly extver: number;
  /** Slowest axis first; tables: [nrows]. */
  readonly shape: readonly number[];
  readonly dtype: string | null;
}

export interface FileHdus {
  readonly path: string;
  readonly model: string | null;
  readonly hdus: readonly HduEntry[];
}

export interface HeaderCard {
  readonly keyword: string;
  readonly value: string | number | boolean | null;
  readonly comment: string | null;
}

/** One numeric or string table column. Numeric columns: buffer of float64 (nrows * prod(cellShape)). */
export interface TableColumnPayload {
  readonly name: string;
  readonly unit: string | null;
  readonly cellShape: readonly number[];
  readonly values: ArrayPayload | null;
  readonly strings: readonly string[] | null;
}

export interface TablePayload {
  readonly path: string;
  readonly hdu: number;
  readonly nrows: number;
  readonly columns: readonly TableColumnPayload[];
}

/** Spectra of an x1d/x1dints file: nspec rows of nwave samples (float64, NaN padded). */
export interface SpectraPayload {
  readonly path: string;
  readonly labels: readonly string[];
  readonly wavelength: ArrayPayload;
  readonly flux: ArrayPayload;
  readonly fluxError: ArrayPayload;
  readonly wavelengthUnit: string;
  readonly fluxUnit: string;
}

/** A white-light curve: one point per integration. */
export interface LightCurvePayload {
  readonly path: string;
  /** Where the points came from: 'whtlt' (ECSV), 'x1dints' (sum over wavelength) or 'rateints' (sum of SCI). */
  readonly source: 'whtlt' | 'x1dints' | 'rateints';
  readonly integration: readonly number[];
  /** Mid-integration time, MJD UTC (days). */
  readonly timeMjdUtc: readonly number[];
  /** Mid-integration time, BJD TDB (days), when the file records it. */
  readonly timeBjdTdb: readonly number[] | null;
  readonly flux: readonly number[];
  readonly fluxError: readonly number[] | null;
  readonly fluxUnit: string;
}

/** Which image HDU to read: an index or an EXTNAME (with EXTVER). */
export interface HduRef {
  readonly path: string;
  readonly hdu: number | string;
  readonly extver?: number;
}

// ------------------------------------------------------------------ runs

export type RunState = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';

export interface ParamSpecView {
  readonly kind: string;
  readonly default: unknown;
  readonly doc: string;
  readonly options?: readonly (string | number | null)[];
}

export interface StepView {
  readonly name: string;
  readonly className: string;
  readonly summary: string;
  /** Whether the step runs for this exposure's mode. */
  readonly applies: boolean;
  readonly declaredOnly: boolean;
  readonly referenceTypes: readonly string[];
  readonly spec: Readonly<Record<string, ParamSpecView>>;
}

export interface PipelinePlan {
  readonly path: string;
  readonly pipeline: string;
  readonly className: string;
  readonly steps: readonly StepView[];
  /** The effective CRDS context and, per reftype, the reference it selects (null: N/A or not found). */
  readonly context: string | null;
  readonly references: Readonly<Record<string, string | null>>;
}

export interface RunRequest {
  readonly path: string;
  /** A pipeline alias (e.g. 'calwebb_detector1') or a single step alias. */
  readonly pipeline?: string;
  readonly step?: string;
  /** Parameters: pipeline-level by name, step-level as 'step.param' (e.g. 'jump.rejection_threshold'). */
  readonly params?: Readonly<Record<string, string | number | boolean | null | readonly (string | number)[]>>;
}

export interface StepRecord {
  readonly name: string;
  readonly state: 'pending' | 'running' | 'complete' | 'skipped' | 'failed' | 'cancelled';
  readonly startedAt: string | null;
  readonly durationMs: number | null;
  readonly references: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface RunRecord {
  readonly runId: string;
  readonly root: string;
  readonly request: RunRequest;
  readonly state: RunState;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly steps: readonly StepRecord[];
  readonly outputs: readonly string[];
  readonly context: string | null;
  readonly versions: Readonly<Record<string, string>>;
  readonly error: WireError | null;
  readonly rerunOf: string | null;
  /** Outlier integrations marked in the project when the run started, and what the run did with them. */
  readonly outliers?: RunOutliers | null;
}

export interface RunOutliers {
  /** 1-based integration numbers excluded (union of the marks that apply to the run's input). */
  readonly integrations: readonly number[];
  /** Project-relative files whose marks applied. */
  readonly markedOn: readonly string[];
  /** What was done, in words (e.g. rows removed from the white-light curve). */
  readonly action: string;
  /** White-light curves rewritten and how many rows each lost. */
  readonly applied: ReadonlyArray<{ readonly output: string; readonly rowsRemoved: number }>;
}

export interface RunProgressEvent {
  readonly runId: string;
  readonly step: string | null;
  readonly stepIndex: number;
  readonly stepCount: number;
  /** Within the step, e.g. integrations. */
  readonly done: number;
  readonly total: number;
  readonly unit: string | null;
  /** Whole run, 0..1. */
  readonly fraction: number;
}

export interface RunLogEvent {
  readonly runId: string;
  readonly level: 'debug' | 'info' | 'warning' | 'error';
  readonly step: string | null;
  readonly message: string;
  readonly time: string;
}

// ------------------------------------------------------------------ crds

export interface CrdsStatus {
  readonly cachePath: string;
  readonly serverUrl: string;
  readonly mode: string;
  /** The effective context and where it comes from (never switched silently). */
  readonly context: string | null;
  readonly contextSource: string | null;
  readonly contextError: string | null;
  readonly localContexts: readonly string[];
  readonly online: boolean | null;
}

export interface CrdsCacheEntry {
  readonly name: string;
  readonly kind: 'mapping' | 'reference';
  readonly size: number;
  readonly instrument: string | null;
  readonly reftype: string | null;
  readonly contexts: readonly string[];
}

export interface CrdsCacheListing {
  readonly files: readonly CrdsCacheEntry[];
  readonly totalBytes: number;
  readonly bytesByInstrument: Readonly<Record<string, number>>;
  readonly bytesByReftype: Readonly<Record<string, number>>;
}

export interface CrdsBestref {
  readonly reftype: string;
  readonly file: string | null;
  readonly status: string;
  readonly cached: boolean;
}

export interface CrdsBestrefs {
  readonly path: string;
  readonly context: string;
  readonly refs: readonly CrdsBestref[];
}

export interface CrdsSyncResult {
  readonly online: boolean;
  readonly downloaded: readonly string[];
  readonly skipped: readonly string[];
  readonly failed: readonly { readonly file: string; readonly message: string }[];
  readonly bytesDownloaded: number;
}

export interface CrdsSyncEvent {
  readonly syncId: string;
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly file: string;
  readonly action: string;
}

export interface CrdsVerifyResult {
  readonly online: boolean;
  readonly checked: number;
  readonly problems: readonly { readonly name: string; readonly problem: string; readonly message: string }[];
  readonly unverifiable: number;
}

export interface CrdsPruneResult {
  readonly keepContexts: readonly string[];
  readonly files: readonly { readonly name: string; readonly size: number }[];
  readonly bytes: number;
  readonly removed: boolean;
}

export interface CrdsContextDiff {
  readonly a: string;
  readonly b: string;
  readonly mappingsAdded: readonly string[];
  readonly mappingsRemoved: readonly string[];
  /** reftype/instrument -> reference changes. */
  readonly references: readonly { readonly instrument: string; readonly reftype: string; readonly added: readonly string[]; readonly removed: readonly string[] }[];
}

// ------------------------------------------------------------------ settings

export interface Settings {
  readonly crdsServerUrl: string | null;
  readonly colormap: string;
  readonly stretch: string;
  readonly timeAxis: 'mjd' | 'bjd' | 'hours';
}

// ------------------------------------------------------------------ the contract

/** Every method by channel name: `<group>.<method>`. */
export interface ApiMethods {
  'projects.open': (a: { readonly path: string }) => Promise<ProjectScan>;
  'projects.list': (a: Record<string, never>) => Promise<readonly string[]>;
  'projects.scan': (a: { readonly root: string }) => Promise<ProjectScan>;
  'projects.close': (a: { readonly root: string }) => Promise<void>;
  'projects.summaries': (a: { readonly paths: readonly string[] }) => Promise<readonly FileSummary[]>;
  'projects.getOutliers': (a: { readonly path: string }) => Promise<ProjectOutliers>;
  'projects.setOutliers': (a: { readonly path: string; readonly integrations: readonly number[] }) => Promise<ProjectOutliers>;
  'files.hdus': (a: { readonly path: string }) => Promise<FileHdus>;
  'files.header': (a: { readonly path: string; readonly hdu: number }) => Promise<readonly HeaderCard[]>;
  /** One plane of an image HDU: `leading` indexes the leading axes (e.g. [integration] of a 3-D cube). */
  'files.plane': (a: HduRef & { readonly leading: readonly number[] }) => Promise<ArrayPayload>;
  /** Values along the slowest axis at one pixel of a 3-D HDU (a spaxel spectrum, a pixel time series). */
  'files.pixelSeries': (a: HduRef & { readonly y: number; readonly x: number }) => Promise<ArrayPayload>;
  'files.table': (a: { readonly path: string; readonly hdu: number | string; readonly columns?: readonly string[] }) => Promise<TablePayload>;
  'files.spectra': (a: { readonly path: string }) => Promise<SpectraPayload>;
  'files.lightCurve': (a: { readonly path: string }) => Promise<LightCurvePayload>;
  'runs.available': (a: Record<string, never>) => Promise<{ readonly available: boolean; readonly reason: string | null }>;
  'runs.plan': (a: { readonly path: string; readonly pipeline?: string }) => Promise<PipelinePlan>;
  'runs.start': (a: RunRequest) => Promise<{ readonly runId: string }>;
  'runs.cancel': (a: { readonly runId: string }) => Promise<void>;
  'runs.history': (a: { readonly root: string }) => Promise<readonly RunRecord[]>;
  'runs.get': (a: { readonly runId: string }) => Promise<RunRecord>;
  'runs.rerunFrom': (a: { readonly runId: string; readonly step: string }) => Promise<{ readonly runId: string }>;
  'crds.status': (a: Record<string, never>) => Promise<CrdsStatus>;
  'crds.contexts': (a: Record<string, never>) => Promise<readonly string[]>;
  'crds.bestrefs': (a: { readonly path: string; readonly context?: string; readonly reftypes?: readonly string[] }) => Promise<CrdsBestrefs>;
  'crds.sync': (a: { readonly contexts?: readonly string[]; readonly fetchReferences?: boolean; readonly files?: readonly string[] }) => Promise<CrdsSyncResult>;
  'crds.fetchFor': (a: { readonly paths: readonly string[] }) => Promise<CrdsSyncResult>;
  'crds.cache': (a: { readonly instrument?: string; readonly reftype?: string }) => Promise<CrdsCacheListing>;
  'crds.verify': (a: { readonly sha1?: boolean }) => Promise<CrdsVerifyResult>;
  /** Without `confirm` only lists what would go (dry run). */
  'crds.prune': (a: { readonly keepContexts: readonly string[]; readonly confirm?: boolean }) => Promise<CrdsPruneResult>;
  'crds.diff': (a: { readonly a: string; readonly b: string }) => Promise<CrdsContextDiff>;
  'settings.get': (a: Record<string, never>) => Promise<Settings>;
  'settings.set': (a: Partial<Settings>) => Promise<Settings>;
}

export type MethodName = keyof ApiMethods;
export type ArgsOf<M extends MethodName> = Parameters<ApiMethods[M]>[0];
export type ResultOf<M extends MethodName> = Awaited<ReturnType<ApiMethods[M]>>;

/** Events by channel name. */
export interface ApiEvents {
  onDidRunProgress: RunProgressEvent;
  onDidRunLog: RunLogEvent;
  onDidFinishRun: RunRecord;
  onDidCrdsSync: CrdsSyncEvent;
  onDidChangeProject: { readonly root: string };
}

export type EventName = keyof ApiEvents;

export interface Disposable {
  dispose(): void;
}

/** The method list at run time, for the transports' generic registration (a test checks it matches ApiMethods). */
export const METHOD_NAMES = [
  'projects.open', 'projects.list', 'projects.scan', 'projects.close', 'projects.summaries', 'projects.getOutliers', 'projects.setOutliers',
  'files.hdus', 'files.header', 'files.plane', 'files.pixelSeries', 'files.table', 'files.spectra', 'files.lightCurve',
  'runs.available', 'runs.plan', 'runs.start', 'runs.cancel', 'runs.history', 'runs.get', 'runs.rerunFrom',
  'crds.status', 'crds.contexts', 'crds.bestrefs', 'crds.sync', 'crds.fetchFor', 'crds.cache', 'crds.verify', 'crds.prune', 'crds.diff',
  'settings.get', 'settings.set',
] as const satisfies readonly MethodName[];

export const EVENT_NAMES = ['onDidRunProgress', 'onDidRunLog', 'onDidFinishRun', 'onDidCrdsSync', 'onDidChangeProject'] as const satisfies readonly EventName[];

/**
 * What a client (renderer) holds: `call` for every method, `on` for every event.
 * Implementations: the in-memory client, the WebSocket client, the preload bridge.
 */
export interface ApiClient {
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): Disposable;
}

/** The server side: the service implements every method and emits events. */
export type ApiImplementation = { readonly [M in MethodName]: ApiMethods[M] };
