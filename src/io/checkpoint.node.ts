/** Checkpoint files (one safetensors file; layout in checkpoint.ts and docs/formats.md). */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { FileFormatError } from '../core/errors.ts';
import type { Module } from '../core/module.ts';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.ts';

/** Writes the module's config and full state; conventional extension `.spark.safetensors`. */
export function saveCheckpoint(module: Module, path: string): void {
  writeFileSync(path, encodeCheckpoint(module));
}

/** Rebuilds a module from a checkpoint file, ready to continue where it stopped. */
export function loadCheckpoint(path: string): Module {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new FileFormatError(`${path}: cannot read the checkpoint (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  return decodeCheckpoint(bytes, { file: basename(path) });
}
