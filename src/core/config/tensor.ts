/**
 * An array literal inside a config, as Spark stores it: `{"__type__": "jax_array", "dtype",
 * "shape", "data"}` (or `numpy_array`). Kept as its own value so files round-trip unchanged.
 */
export class TensorValue {
  constructor(
    readonly kind: 'jax_array' | 'numpy_array',
    readonly dtype: string,
    readonly shape: number[],
    /** Nested lists as in the file, or a number for a scalar. */
    readonly data: unknown,
  ) {}

  /** Row-major flat values. */
  flat(): number[] {
    const out: number[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else out.push(typeof v === 'boolean' ? Number(v) : Number(v));
    };
    walk(this.data);
    return out;
  }

  toJSON(): Record<string, unknown> {
    return { __type__: this.kind, dtype: this.dtype, shape: this.shape, data: this.data };
  }
}

/** Flattens a number, a (nested) list, a typed array or a TensorValue into plain numbers. */
export function flattenNumeric(value: unknown): number[] | undefined {
  if (typeof value === 'number') return [value];
  if (typeof value === 'boolean') return [Number(value)];
  if (value instanceof TensorValue) return value.flat();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>);
  }
  if (Array.isArray(value)) {
    const out: number[] = [];
    for (const v of value) {
      const f = flattenNumeric(v);
      if (!f) return undefined;
      out.push(...f);
    }
    return out;
  }
  return undefined;
}
