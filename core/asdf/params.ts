/**
 * stpipe parameter files (`pars-*.asdf`, CRDS reftype pars-<step>): an ASDF tree with
 *
 *   class: jwst.pipeline.calwebb_spec2.Spec2Pipeline   # the step or pipeline class
 *   meta: {...}                                       # reference-file metadata (optional)
 *   name: Spec2Pipeline
 *   parameters: {...}                                 # the step's own parameters
 *   steps: [{class, name, parameters}, ...]           # pipelines only
 *
 * Older files (e.g. jwst_miri_pars-tweakreg_0001.asdf, 2019) keep the class inside
 * `parameters` (`parameters: {class: jwst.tweakreg.TweakRegStep, ...}`) and have no name;
 * both layouts are read.
 */
import { AsdfError } from '../errors/index.ts';
import { parseAsdf, serializeAsdf, type SerializeOptions } from './file.ts';
import { isMarkedFloat, markFloat, untag } from './scalars.ts';

export interface StepParameters {
  /** Fully qualified Python class, e.g. 'jwst.tweakreg.TweakRegStep'. */
  className: string;
  name: string;
  parameters: Record<string, unknown>;
  steps: StepParameters[];
  meta?: unknown;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Copy an object's entries except `skip`, keeping float marks. */
function without(o: Obj, skip: readonly string[]): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (skip.includes(k)) continue;
    out[k] = v;
    if (isMarkedFloat(o, k)) markFloat(out, k);
  }
  return out;
}

function fromTree(tree: Obj, file: string | undefined, where: string): StepParameters {
  const missing = (key: string): never => {
    throw new AsdfError('asdf-params', `parameter file has no ${JSON.stringify(key)} ${where}`, { file, parameter: key });
  };
  const params = untag(tree.parameters);
  if (params !== undefined && !isObj(params)) {
    throw new AsdfError('asdf-params', `"parameters" ${where} is not a mapping`, { file, parameter: 'parameters' });
  }
  // Current layout: class and name beside parameters; legacy: class inside parameters.
  const legacy = tree.class === undefined && params !== undefined && typeof params.class === 'string';
  const cls = legacy ? params.class : tree.class;
  if (cls === undefined) missing('class');
  if (typeof cls !== 'string') {
    throw new AsdfError('asdf-params', `"class" ${where} is not a string`, { file, parameter: 'class' });
  }
  const rawName = legacy ? params.name : tree.name;
  const name = typeof rawName === 'string' && rawName ? rawName : cls.slice(cls.lastIndexOf('.') + 1);
  const steps = untag(tree.steps);
  if (steps !== undefined && !Array.isArray(steps)) {
    throw new AsdfError('asdf-params', `"steps" ${where} is not a list`, { file, parameter: 'steps' });
  }
  const out: StepParameters = {
    className: cls,
    name,
    parameters: params ? (legacy ? without(params, ['class', 'name']) : params) : {},
    steps: (steps ?? []).map((s, i) => {
      const st = untag(s);
      if (!isObj(st)) throw new AsdfError('asdf-params', `steps[${i}] ${where} is not a mapping`, { file, parameter: `steps[${i}]` });
      return fromTree(st, file, `in steps[${i}]`);
    }),
  };
  if (tree.meta !== undefined) out.meta = tree.meta;
  return out;
}

/** Read a `pars-*.asdf` file. Errors name the file and the missing key. */
export function readParameterFile(bytes: Uint8Array, file?: string): StepParameters {
  const { tree } = parseAsdf(bytes, file);
  return fromTree(tree, file, 'at the top level');
}

function toTree(p: StepParameters, top: boolean): Obj {
  const t: Obj = { class: p.className };
  if (top && p.meta !== undefined) t.meta = p.meta;
  t.name = p.name;
  t.parameters = p.parameters;
  if (p.steps.length > 0) t.steps = p.steps.map((s) => toTree(s, false));
  return t;
}

export interface WriteParameterOptions extends Omit<SerializeOptions, 'externalSource'> {
  /** 'stpipe' (default): class/meta/name/parameters/steps at the top; 'legacy': class inside parameters. */
  layout?: 'stpipe' | 'legacy';
  /** Kept at the top of the tree (asdf_library / history), e.g. from a file that was read. */
  history?: unknown;
}

/** Write a parameter file in the layout stpipe reads (and CRDS pars-* files use). */
export function writeParameterFile(p: StepParameters, opts: WriteParameterOptions = {}): Uint8Array {
  if (!p.className) throw new AsdfError('asdf-params', 'cannot write a parameter file without a class', { parameter: 'class' });
  let tree: Obj;
  if (opts.layout === 'legacy') {
    if (p.steps.length > 0) throw new AsdfError('asdf-params', 'the legacy layout cannot hold pipeline steps', { parameter: 'steps' });
    const params: Obj = { class: p.className, ...p.parameters };
    for (const k of Object.keys(p.parameters)) if (isMarkedFloat(p.parameters, k)) markFloat(params, k);
    tree = {};
    if (p.meta !== undefined) tree.meta = p.meta;
    tree.parameters = params;
  } else {
    tree = toTree(p, true);
  }
  if (opts.history !== undefined) tree = { history: opts.history, ...tree };
  return serializeAsdf(tree, opts);
}
