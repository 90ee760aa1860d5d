// ESLint rule enforcing the layer table of docs/STYLE.md section 1.
// Layers are visible in file names:
//   core/**            pure core: no node:*, no DOM, no *.node.ts, only pure packages
//   core/**/*.node.ts, core/cli/**   node core: may import node:* and pure core
//   core/**/*.worker.ts              worker entries: pure core (plus node:worker_threads)
//   electron/preload.ts              the API types only
//   electron/**                      core, API types, electron
//   renderer/**                      API types and pure core helpers
// Tests (*.test.ts) and bench/, test/, build/ are unrestricted.
import path from 'node:path';

const PURE_PACKAGES = new Set(['yaml', 'fflate', 'seek-bzip', 'compressjs']);
const RENDERER_PACKAGES = new Set(['vue', 'pinia', 'echarts', 'spectorjs', 'vue-echarts', '@pinia/testing', 'vitest', '@vue/test-utils']);

function layerOf(rel) {
  if (/\.test\.ts$/.test(rel) || /^(test|bench|build|bin)\//.test(rel)) return 'free';
  if (rel.startsWith('core/')) {
    if (rel.endsWith('.worker.ts')) return 'worker';
    if (rel.endsWith('.node.ts') || rel.startsWith('core/cli/')) return 'node';
    return 'pure';
  }
  if (rel === 'electron/preload.ts') return 'preload';
  if (rel.startsWith('electron/')) return 'electron';
  if (rel.startsWith('renderer/')) return 'renderer';
  return 'free';
}

function isApiTypes(target) {
  return /^core\/api\/types(\.ts)?$/.test(target) || /^core\/api\/.*\.types\.ts$/.test(target);
}

function isNodeCore(target) {
  return target.endsWith('.node.ts') || target.startsWith('core/cli/') || target.endsWith('.worker.ts');
}

function check(layer, spec, target) {
  const builtin = spec.startsWith('node:');
  const pkg = !spec.startsWith('.') && !builtin ? spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/') : null;
  switch (layer) {
    case 'pure':
      if (builtin) return `pure core must not import ${spec}; put Node-dependent code in a *.node.ts file`;
      if (pkg && !PURE_PACKAGES.has(pkg)) return `pure core may import only pure packages (${[...PURE_PACKAGES].join(', ')}), not ${pkg}`;
      if (target && !target.startsWith('core/')) return `core must not import ${target}`;
      if (target && isNodeCore(target)) return `pure core must not import node core ${target}`;
      return null;
    case 'worker':
      if (builtin && spec !== 'node:worker_threads') return `worker entries may import only node:worker_threads, not ${spec}`;
      if (pkg && !PURE_PACKAGES.has(pkg)) return `worker entries may import only pure packages, not ${pkg}`;
      if (target && (!target.startsWith('core/') || target.endsWith('.node.ts') || target.startsWith('core/cli/'))) return `worker entries may import only pure core, not ${target}`;
      return null;
    case 'node':
      if (target && !target.startsWith('core/')) return `core must not import ${target}`;
      if (pkg && ['electron', 'vue', 'pinia', 'echarts'].includes(pkg)) return `core must not import ${pkg}`;
      return null;
    case 'preload':
      if (pkg && pkg !== 'electron') return `preload may import only electron and the API types, not ${pkg}`;
      if (builtin) return `preload must not import ${spec}`;
      if (target && !isApiTypes(target)) return `preload may import only the API types, not ${target}`;
      return null;
    case 'electron':
      if (target && target.startsWith('renderer/')) return `electron must not import renderer code ${target}`;
      return null;
    case 'renderer':
      if (builtin) return `renderer must not import ${spec}`;
      if (pkg && !RENDERER_PACKAGES.has(pkg) && !PURE_PACKAGES.has(pkg)) return `renderer must not import ${pkg}`;
      if (target && target.startsWith('core/') && !isApiTypes(target) && isNodeCore(target)) return `renderer may import only API types and pure core, not ${target}`;
      if (target && target.startsWith('electron/')) return `renderer must not import ${target}`;
      return null;
    default:
      return null;
  }
}

const rule = {
  meta: { type: 'problem', docs: { description: 'enforce the WebbDesk layer table' }, schema: [] },
  create(context) {
    const root = context.cwd ?? process.cwd();
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const layer = layerOf(file);
    if (layer === 'free') return {};
    const visit = (node) => {
      if (!node.source || typeof node.source.value !== 'string') return;
      const spec = node.source.value;
      const target = spec.startsWith('.')
        ? path.relative(root, path.resolve(path.dirname(context.filename), spec)).split(path.sep).join('/')
        : null;
      const problem = check(layer, spec, target);
      if (problem) context.report({ node: node.source, message: `layer rule (${layer}): ${problem}` });
    };
    return {
      ImportDeclaration: visit,
      ExportNamedDeclaration: visit,
      ExportAllDeclaration: visit,
      ImportExpression(node) {
        if (node.source.type === 'Literal') visit({ source: node.source });
      },
    };
  },
};

export default { rules: { layers: rule } };
export { layerOf, check };
