/**
 * Builders for parameter specs, mirroring stpipe's configobj spec strings:
 * `boolean(default=False)` -> param.bool(false, doc), `float(default=None)` ->
 * param.float(null, doc), `option('a','b',default='a')` -> param.option(['a','b'], 'a', doc).
 */
import type { ParamSpec } from './types.ts';

export const param = {
  bool: (dflt: boolean | null, doc: string): ParamSpec => ({ kind: 'boolean', default: dflt, doc, nullable: dflt === null }),
  int: (dflt: number | null, doc: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({ kind: 'integer', default: dflt, doc, nullable: dflt === null, ...extra }),
  float: (dflt: number | null, doc: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({ kind: 'float', default: dflt, doc, nullable: dflt === null, ...extra }),
  string: (dflt: string | null, doc: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({ kind: 'string', default: dflt, doc, nullable: dflt === null, ...extra }),
  option: (options: readonly (string | number | null)[], dflt: string | number | null, doc: string): ParamSpec => ({ kind: 'option', options, default: dflt, doc, nullable: options.includes(null) }),
  intList: (dflt: readonly number[] | null, doc: string): ParamSpec => ({ kind: 'int_list', default: dflt, doc, nullable: dflt === null }),
  floatList: (dflt: readonly number[] | null, doc: string): ParamSpec => ({ kind: 'float_list', default: dflt, doc, nullable: dflt === null }),
  stringList: (dflt: readonly string[] | null, doc: string): ParamSpec => ({ kind: 'string_list', default: dflt, doc, nullable: dflt === null }),
  any: (dflt: unknown, doc: string): ParamSpec => ({ kind: 'any', default: dflt, doc, nullable: true }),
};
