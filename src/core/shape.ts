/** Shapes are tuples of positive integers; `[]` is a scalar (size 1). */
export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeEquals(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: Shape): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** Accepts an int or a list of ints (Spark's `validate_shape`) and returns a shape. */
export function toShape(value: unknown): number[] | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return [value];
  if (Array.isArray(value) && value.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    return [...(value as number[])];
  }
  return undefined;
}
