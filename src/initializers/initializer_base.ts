/**
 * Shared pieces of the initializers (Spark: spark/nn/initializers/base.py): the base config
 * fields and the final cast/clip step.
 */
import { field, type FieldSpec } from '../core/config/field.ts';
import type { Config } from '../core/config/config.ts';

export const INIT_DTYPES = ['uint8', 'uint16', 'uint32', 'int8', 'int16', 'int32', 'float16', 'float32'] as const;

export const initializerBaseFields: Record<string, FieldSpec> = {
  dtype: { kind: 'dtype', default: 'float16', description: 'Dtype of the drawn array; integer dtypes truncate.', options: INIT_DTYPES },
  scale: field.float(1, 'Multiplies the drawn values.'),
  min_value: field.float(null, 'Lower clip bound (none if null).', { nullable: true }),
  max_value: field.float(null, 'Upper clip bound (none if null).', { nullable: true }),
};

export interface InitSettings {
  dtype: string;
  scale: number;
  min: number | null;
  max: number | null;
}

/** Config values merged with the caller's forced overrides (Spark's `init_kwargs`). */
export function settings(config: Config, overrides: Record<string, unknown> = {}): InitSettings & Record<string, unknown> {
  const v = { ...config.values, ...overrides };
  return {
    ...v,
    dtype: String(v.dtype ?? 'float16'),
    scale: Number(v.scale ?? 1),
    min: v.min_value === null || v.min_value === undefined ? null : Number(v.min_value),
    max: v.max_value === null || v.max_value === undefined ? null : Number(v.max_value),
  };
}

/**
 * Clips to [min, max] and truncates for integer dtypes. With `keepZeros`, exact zeros stay
 * zero, so sparse arrays stay sparse (Spark lifts them to min_value: a bug we fix).
 */
export function finish(a: Float32Array, s: InitSettings, keepZeros = false): Float32Array {
  const isInt = !s.dtype.startsWith('float');
  for (let i = 0; i < a.length; i++) {
    let x = a[i];
    if (keepZeros && x === 0) continue;
    if (s.min !== null && x < s.min) x = s.min;
    if (s.max !== null && x > s.max) x = s.max;
    a[i] = isInt ? Math.floor(x) : x;
  }
  return a;
}
