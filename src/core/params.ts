/**
 * Resolves a parameter field that accepts a scalar, a per-unit array or an initializer config
 * (Spark's InitializableField.init) into a Float32Array of the requested shape.
 */
import { Config } from './config/config.ts';
import { flattenNumeric } from './config/tensor.ts';
import { ConfigError } from './errors.ts';
import type { Module } from './module.ts';
import { REGISTRY } from './registry.ts';
import { type Shape, shapeSize } from './shape.ts';

export function resolveParam(
  module: Module,
  fieldName: string,
  shape: Shape,
  overrides?: Record<string, unknown>,
): Float32Array {
  const v = module.config.values[fieldName];
  const n = shapeSize(shape);
  const where = `${module.path ? `${module.path}.` : ''}${fieldName}`;
  if (v instanceof Config) {
    const ref = v.schema.classRef ?? v.type.replace(/_config$/, '');
    const out = REGISTRY.getInitializer(ref, where).init(v, module.rng, shape, overrides);
    return out;
  }
  const flat = flattenNumeric(v);
  if (!flat) throw new ConfigError([{ path: where, message: 'must be a number, an array or an initializer' }]);
  if (flat.length === 1) return new Float32Array(n).fill(flat[0]);
  if (flat.length === n) return Float32Array.from(flat);
  // Broadcast a trailing-axis vector (e.g. per-dimension values of a topological spiker).
  if (n % flat.length === 0 && shape.length > 0 && shape[shape.length - 1] === flat.length) {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = flat[i % flat.length];
    return out;
  }
  throw new ConfigError([
    { path: where, message: `has ${flat.length} values but ${n} are needed for shape [${shape.join(', ')}] (or give one value)` },
  ]);
}

