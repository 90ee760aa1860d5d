export * from './types.ts';
export { param } from './param.ts';
export { type JwstModel, type ModelPart, cloneModel, isModel } from './model.ts';
