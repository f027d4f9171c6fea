/**
 * Config schemas and the table of known config types. A schema names a config type (Spark's
 * registry name, e.g. `leaky_soma_config`), the module it configures, and its fields.
 */
import type { FieldSpec } from './field.ts';

export interface ConfigSchema {
  /** Config type name as written in files, e.g. `leaky_soma_config`. */
  type: string;
  /** Registry name of the module/initializer this config builds, e.g. `leaky_soma`. */
  classRef?: string;
  description?: string;
  fields: Record<string, FieldSpec>;
  /** Controller configs: nested keys may name a module spec (`soma__potential_tau`). */
  controller?: boolean;
  /** Controllers: fields forced into every module that has them (`dt`, `units`). */
  forces?: string[];
}

const schemas = new Map<string, ConfigSchema>();

export function registerSchema(schema: ConfigSchema): void {
  schemas.set(schema.type, schema);
}

export function getSchema(type: string): ConfigSchema | undefined {
  return schemas.get(type);
}

export function allSchemaTypes(): string[] {
  return [...schemas.keys()];
}
