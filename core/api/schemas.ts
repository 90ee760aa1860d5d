/** One argument schema per API method (core/api/types.ts ApiMethods). */
import { s, type Schema } from './schema.ts';
import type { MethodName } from './types.ts';

const path = s.path();
const none = s.object({});
const name = s.string({ max: 128, pattern: /^[A-Za-z0-9_.-]+$/ });
const contextName = s.string({ max: 128, pattern: /^[A-Za-z0-9_.-]+\.(pmap|imap|rmap)$/ });
const hdu = s.union(s.int(0, 10_000), s.string({ max: 68, pattern: /^[A-Za-z0-9_ -]+$/ }));
const hduRef = { path, hdu, 'extver?': s.int(1, 10_000) };
const scalar = s.union(s.string({ max: 4096 }), s.number(), s.boolean(), s.null());
const paramValue = s.union(scalar, s.array(s.union(s.string({ max: 4096 }), s.number()), 10_000));
const runId = s.string({ max: 64, pattern: /^[A-Za-z0-9_-]+$/ });

const runRequest = s.object({ path, 'pipeline?': name, 'step?': name, 'params?': s.record(paramValue, 2000) });

export const SCHEMAS: Readonly<Record<MethodName, Schema>> = {
  'projects.open': s.object({ path }),
  'projects.list': none,
  'projects.scan': s.object({ root: path }),
  'projects.close': s.object({ root: path }),
  'projects.summaries': s.object({ paths: s.array(path, 5000) }),
  'projects.getOutliers': s.object({ path }),
  'projects.setOutliers': s.object({ path, integrations: s.array(s.int(1, 10_000_000), 1_000_000) }),
  'files.hdus': s.object({ path }),
  'files.header': s.object({ path, hdu: s.int(0, 10_000) }),
  'files.plane': s.object({ ...hduRef, leading: s.array(s.int(0, 10_000_000), 8) }),
  'files.pixelSeries': s.object({ ...hduRef, y: s.int(0, 1_000_000), x: s.int(0, 1_000_000) }),
  'files.table': s.object({ path, hdu, 'columns?': s.array(s.string({ max: 68 }), 999) }),
  'files.spectra': s.object({ path }),
  'files.lightCurve': s.object({ path }),
  'runs.available': none,
  'runs.plan': s.object({ path, 'pipeline?': name }),
  'runs.start': runRequest,
  'runs.cancel': s.object({ runId }),
  'runs.history': s.object({ root: path }),
  'runs.get': s.object({ runId }),
  'runs.rerunFrom': s.object({ runId, step: name }),
  'crds.status': none,
  'crds.contexts': none,
  'crds.bestrefs': s.object({ path, 'context?': contextName, 'reftypes?': s.array(name, 200) }),
  'crds.sync': s.object({ 'contexts?': s.array(s.string({ max: 128, pattern: /^[A-Za-z0-9_.-]+$/ }), 50), 'fetchReferences?': s.boolean(), 'files?': s.array(name, 10_000) }),
  'crds.fetchFor': s.object({ paths: s.array(path, 1000) }),
  'crds.cache': s.object({ 'instrument?': name, 'reftype?': name }),
  'crds.verify': s.object({ 'sha1?': s.boolean() }),
  'crds.prune': s.object({ keepContexts: s.array(contextName, 50), 'confirm?': s.boolean() }),
  'crds.diff': s.object({ a: contextName, b: contextName }),
  'settings.get': none,
  'settings.set': s.object({
    'crdsServerUrl?': s.union(s.string({ max: 512, pattern: /^https?:\/\/[^\s]+$/ }), s.null()),
    'colormap?': s.string({ oneOf: ['gray', 'viridis', 'inferno', 'magma', 'plasma', 'cividis'] }),
    'stretch?': s.string({ oneOf: ['linear', 'sqrt', 'log', 'asinh'] }),
    'timeAxis?': s.string({ oneOf: ['mjd', 'bjd', 'hours'] }),
  }),
};
