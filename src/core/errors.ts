/**
 * Typed errors for user mistakes. Each says what was wrong, where, and how to fix it, so the CLI
 * can print `error.message` alone and never a stack trace.
 */
import { closest, distance } from 'fastest-levenshtein';

export class SparkError extends Error {
  /** Machine-readable error kind. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem found while validating a config: where it is and what is wrong. */
export interface ConfigIssue {
  /** Config path, e.g. `modules_specs[A].config.soma.potential_tau`. */
  path: string;
  message: string;
}

/** Invalid config: unknown keys, wrong types, values out of range. Lists every issue found. */
export class ConfigError extends SparkError {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super('config', issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
    this.issues = issues;
  }
}

/** A connection between ports that cannot work: unknown port, payload type or shape mismatch. */
export class PortError extends SparkError {
  constructor(message: string) {
    super('port', message);
  }
}

/** Bad run-time input: a missing brain input, a wrong shape, NaN values. */
export class InputError extends SparkError {
  constructor(message: string) {
    super('input', message);
  }
}

/** A name that is not in the registry. */
export class RegistryError extends SparkError {
  constructor(message: string) {
    super('registry', message);
  }
}

/** The graph cannot be built, e.g. a cycle inside a Neuron. */
export class GraphError extends SparkError {
  constructor(message: string) {
    super('graph', message);
  }
}

/** A model or checkpoint file that cannot be read. */
export class FileFormatError extends SparkError {
  constructor(message: string) {
    super('file', message);
  }
}

/**
 * " Did you mean 'x'?" for a misspelt name, or '' when nothing is close.
 * Close means an edit distance of at most a third of the name (and at least 2).
 */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const list = [...candidates];
  if (list.length === 0) return '';
  const best = closest(name, list);
  const limit = Math.max(2, Math.ceil(name.length / 3));
  return distance(name, best) <= limit ? ` Did you mean '${best}'?` : '';
}

/** Candidates within a small edit distance, best first (for listing several close matches). */
export function closeMatches(name: string, candidates: Iterable<string>, max = 5): string[] {
  const limit = Math.max(2, Math.ceil(name.length / 3));
  return [...candidates]
    .map((c) => ({ c, d: distance(name, c) }))
    .filter((x) => x.d <= limit || x.c.includes(name) || name.includes(x.c))
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map((x) => x.c);
}
