/**
 * The engine API implemented over core/ (core/api/types.ts ApiMethods).
 * Transports (in-memory, `webbdesk serve`, Electron IPC) validate arguments
 * with core/api/schemas.ts before calling; this class checks every path
 * against the open projects and the CRDS cache.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { WebbError } from '../errors/index.ts';
import { resolveConfig, type CrdsConfig } from '../crds/config.node.ts';
import { CrdsService } from './crds.node.ts';
import { loadEngine, type Engine } from './engine.node.ts';
import { fileHdus, fileHeader, fileLightCurve, filePixelSeries, filePlane, fileSpectra, fileTable } from './files.node.ts';
import { parseJwstName } from './naming.ts';
import { getOutliers, scanProject, setOutliers, summarize } from './projects.node.ts';
import { Roots } from './roots.node.ts';
import { RunService } from './runs.node.ts';
import { EventHub } from './transport.ts';
import type { ApiImplementation, ApiMethods, ArgsOf, PipelinePlan, Settings } from './types.ts';

export interface ServiceOptions {
  /** CRDS configuration (default: from the environment, with the settings' server URL). */
  readonly crdsConfig?: () => CrdsConfig;
  /** The step engine (default: core/stpipe runner when present). */
  readonly engine?: () => Promise<{ engine: Engine } | { reason: string }>;
  /** Where settings are kept (default $WEBBDESK_SETTINGS or ~/.config/webbdesk/settings.json). */
  readonly settingsFile?: string;
}

const DEFAULT_SETTINGS: Settings = { crdsServerUrl: null, colormap: 'viridis', stretch: 'linear', timeAxis: 'hours' };

type Impl<M extends keyof ApiMethods> = (a: ArgsOf<M>) => ReturnType<ApiMethods[M]>;

export class WebbDeskService implements ApiImplementation {
  readonly events = new EventHub();
  readonly roots: Roots;
  private readonly crdsSvc: CrdsService;
  private readonly runSvc: RunService;
  private settings: Settings = DEFAULT_SETTINGS;
  private readonly settingsFile: string;
  private readonly settingsLoaded: Promise<void>;

  constructor(opts: ServiceOptions = {}) {
    this.settingsFile = opts.settingsFile ?? process.env.WEBBDESK_SETTINGS ?? path.join(homedir(), '.config', 'webbdesk', 'settings.json');
    const config = opts.crdsConfig ?? (() => {
      const c = resolveConfig();
      return this.settings.crdsServerUrl ? { ...c, serverUrl: this.settings.crdsServerUrl } : c;
    });
    this.roots = new Roots(() => { const c = config(); return [c.crdsPath, ...c.mappingDirs, c.referenceDir, c.configDir]; });
    this.crdsSvc = new CrdsService(config, this.events);
    let engine: Promise<{ engine: Engine } | { reason: string }> | undefined;
    this.runSvc = new RunService(opts.engine ?? (() => (engine ??= loadEngine())), this.events, () => this.crdsSvc.status().context);
    this.settingsLoaded = readFile(this.settingsFile, 'utf8')
      .then((t) => { this.settings = { ...DEFAULT_SETTINGS, ...(JSON.parse(t) as Partial<Settings>) }; })
      .catch(() => undefined);
  }

  private file = (p: string): Promise<string> => this.roots.resolve(p, { cache: true });
  private projectFile = (p: string): Promise<string> => this.roots.resolve(p);

  private async rootOf(p: string): Promise<{ root: string; real: string }> {
    const real = await this.projectFile(p);
    const root = this.roots.projectOf(real);
    if (!root) throw new WebbError('access-denied', `${p} is not in an open project`);
    return { root, real };
  }

  'projects.open': Impl<'projects.open'> = async ({ path: dir }) => {
    const root = await this.roots.addProject(dir);
    this.events.emit('onDidChangeProject', { root });
    return scanProject(root);
  };
  'projects.list': Impl<'projects.list'> = async () => this.roots.projectRoots();
  'projects.scan': Impl<'projects.scan'> = async ({ root }) => {
    const real = await this.projectFile(root);
    if (!this.roots.projectRoots().includes(real)) throw new WebbError('invalid-argument', `${root} is not an open project folder`);
    return scanProject(real);
  };
  'projects.close': Impl<'projects.close'> = async ({ root }) => { this.roots.removeProject(root); };
  'projects.summaries': Impl<'projects.summaries'> = async ({ paths }) => Promise.all(paths.map(async (p) => summarize(await this.file(p))));
  'projects.getOutliers': Impl<'projects.getOutliers'> = async ({ path: p }) => { const { root, real } = await this.rootOf(p); return getOutliers(root, real); };
  'projects.setOutliers': Impl<'projects.setOutliers'> = async ({ path: p, integrations }) => { const { root, real } = await this.rootOf(p); return setOutliers(root, real, integrations); };

  'files.hdus': Impl<'files.hdus'> = async ({ path: p }) => fileHdus(await this.file(p));
  'files.header': Impl<'files.header'> = async ({ path: p, hdu }) => fileHeader(await this.file(p), hdu);
  'files.plane': Impl<'files.plane'> = async ({ path: p, hdu, extver, leading }) => filePlane(await this.file(p), hdu, extver, leading);
  'files.pixelSeries': Impl<'files.pixelSeries'> = async ({ path: p, hdu, extver, y, x }) => filePixelSeries(await this.file(p), hdu, extver, y, x);
  'files.table': Impl<'files.table'> = async ({ path: p, hdu, columns }) => fileTable(await this.file(p), hdu, columns);
  'files.spectra': Impl<'files.spectra'> = async ({ path: p }) => fileSpectra(await this.file(p));
  'files.lightCurve': Impl<'files.lightCurve'> = async ({ path: p }) => fileLightCurve(await this.file(p));

  'runs.available': Impl<'runs.available'> = () => this.runSvc.available();
  'runs.plan': Impl<'runs.plan'> = async ({ path: p, pipeline }) => {
    const { real } = await this.rootOf(p);
    const engine = await this.runSvc.requireEngine();
    const sum = await summarize(real);
    const stage = parseJwstName(path.basename(real))?.suffix ?? 'uncal';
    const plan = await engine.plan(real, { stage, expType: sum.expType, tso: (sum.nints ?? 1) > 1 }, pipeline);
    const status = this.crdsSvc.status();
    const references: Record<string, string | null> = {};
    const types = [...new Set(plan.steps.flatMap((s) => s.referenceTypes))];
    if (status.context && types.length) {
      try {
        for (const r of (await this.crdsSvc.bestrefs(real, status.context, types)).refs) references[r.reftype] = r.file;
      } catch {
        for (const t of types) references[t] = null;
      }
    }
    return { path: real, ...plan, context: status.context, references } satisfies PipelinePlan;
  };
  'runs.start': Impl<'runs.start'> = async (req) => {
    const { root, real } = await this.rootOf(req.path);
    let steps: string[] = [];
    if (req.pipeline) {
      const engine = await this.runSvc.requireEngine();
      const sum = await summarize(real);
      steps = (await engine.plan(real, { stage: 'uncal', expType: sum.expType, tso: (sum.nints ?? 1) > 1 }, req.pipeline)).steps.map((s) => s.name);
    }
    return this.runSvc.start(root, { ...req, path: real }, steps);
  };
  'runs.cancel': Impl<'runs.cancel'> = ({ runId }) => this.runSvc.cancel(runId);
  'runs.history': Impl<'runs.history'> = async ({ root }) => {
    const real = await this.projectFile(root);
    return this.runSvc.history(real);
  };
  'runs.get': Impl<'runs.get'> = ({ runId }) => this.runSvc.get(runId);
  'runs.rerunFrom': Impl<'runs.rerunFrom'> = ({ runId, step }) => this.runSvc.rerunFrom(runId, step);

  'crds.status': Impl<'crds.status'> = async () => this.crdsSvc.status();
  'crds.contexts': Impl<'crds.contexts'> = async () => this.crdsSvc.contexts();
  'crds.bestrefs': Impl<'crds.bestrefs'> = async ({ path: p, context, reftypes }) => this.crdsSvc.bestrefs(await this.file(p), context, reftypes);
  'crds.sync': Impl<'crds.sync'> = (a) => this.crdsSvc.sync(a);
  'crds.fetchFor': Impl<'crds.fetchFor'> = async ({ paths }) => this.crdsSvc.fetchFor(await Promise.all(paths.map((p) => this.file(p))));
  'crds.cache': Impl<'crds.cache'> = ({ instrument, reftype }) => this.crdsSvc.cache(instrument, reftype);
  'crds.verify': Impl<'crds.verify'> = ({ sha1 }) => this.crdsSvc.verify(sha1);
  'crds.prune': Impl<'crds.prune'> = ({ keepContexts, confirm }) => this.crdsSvc.prune(keepContexts, confirm);
  'crds.diff': Impl<'crds.diff'> = async ({ a, b }) => this.crdsSvc.diff(a, b);

  'settings.get': Impl<'settings.get'> = async () => {
    await this.settingsLoaded;
    return this.settings;
  };
  'settings.set': Impl<'settings.set'> = async (patch) => {
    await this.settingsLoaded;
    this.settings = { ...this.settings, ...patch };
    await mkdir(path.dirname(this.settingsFile), { recursive: true });
    const tmp = `${this.settingsFile}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.settings, null, 1));
    await rename(tmp, this.settingsFile);
    return this.settings;
  };
}
