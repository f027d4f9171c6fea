/**
 * Field descriptors: each config field's kind, default, unit, description and validators. The
 * schema drives validation, documentation (`spark modules`, docs/components.md) and the
 * editor's inspector.
 */
export type FieldKind =
  | 'float'
  | 'int'
  | 'bool'
  | 'string'
  | 'shape'
  | 'dtype'
  | 'tuple'
  | 'array'
  | 'config'
  | 'module_specs';

export type ValidatorName = 'positive' | 'non_negative' | 'zero_one' | 'binary' | 'integer';

export interface FieldSpec {
  kind: FieldKind;
  /** Default value; a function makes a fresh copy for mutable defaults. `undefined` = required. */
  default?: unknown | (() => unknown);
  required?: boolean;
  /** `null` is a valid value. */
  nullable?: boolean;
  unit?: string;
  /** Paper symbol, e.g. τ_m. */
  symbol?: string;
  description: string;
  validators?: ValidatorName[];
  /** Also accepts a per-unit array or an initializer config (Spark's `float | Array | Initializer`). */
  init?: boolean;
  /** Allowed values (dtype dropdowns and the like). */
  options?: readonly string[];
  /** Fixed length, for tuples. */
  length?: number;
  /** For `config` fields: the default config type (registry name). */
  configType?: string;
  /** Spark's type string, for the editor and documentation. */
  typeString?: string;
}

interface Opts {
  unit?: string;
  symbol?: string;
  validators?: ValidatorName[];
  init?: boolean;
  nullable?: boolean;
  options?: readonly string[];
}

const mk = (kind: FieldKind, def: unknown, description: string, opts: Opts = {}): FieldSpec => ({
  kind,
  default: def,
  description,
  ...opts,
});

/** Field builders, e.g. `field.float(20, 'Membrane time constant', { unit: 'ms', validators: ['positive'] })`. */
export const field = {
  float: (def: number | null | (() => unknown) | undefined, description: string, opts?: Opts) =>
    mk('float', def, description, opts),
  int: (def: number | null | undefined, description: string, opts?: Opts) => mk('int', def, description, opts),
  bool: (def: boolean, description: string, opts?: Opts) => mk('bool', def, description, opts),
  string: (def: string | null | undefined, description: string, opts?: Opts) => mk('string', def, description, opts),
  shape: (def: number[] | undefined, description: string, opts?: Opts) =>
    mk('shape', def === undefined ? undefined : () => [...def], description, opts),
  tuple: (def: number[], description: string, opts?: Opts & { length?: number }) =>
    ({ ...mk('tuple', () => [...def], description, opts), length: opts?.length ?? def.length }) as FieldSpec,
  array: (def: unknown, description: string, opts?: Opts) => mk('array', def, description, opts),
  config: (configType: string, def: (() => unknown) | null, description: string, opts?: Opts) =>
    ({ ...mk('config', def, description, opts), configType }) as FieldSpec,
  moduleSpecs: (description: string) => mk('module_specs', undefined, description),
};

export const DTYPES = ['float16', 'float32', 'float64', 'uint8', 'uint16', 'uint32', 'int8', 'int16', 'int32', 'bool'] as const;

/** Fields every module config has (Spark's DefaultSparkConfig). */
export const moduleBaseFields: Record<string, FieldSpec> = {
  seed: field.int(null, 'Seed of the module RNG. Unset: derived from the parent seed and the module name.', {
    nullable: true,
  }),
  dtype: {
    kind: 'dtype',
    default: 'float16',
    description: "Spark's storage dtype. spark-snn always computes in float32; the value is kept for files.",
    options: ['float16', 'float32'],
  },
  dt: field.float(1.0, 'Integration time step.', { unit: 'ms', validators: ['positive'] }),
};
