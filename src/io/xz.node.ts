/**
 * xz (LZMA2) compression for `.scfg` files, via @napi-rs/lzma (a Rust xz codec with Node
 * bindings). Errors name the file, so a truncated or damaged file reads as such.
 *
 * Reading uses @napi-rs/lzma (synchronous). Writing uses lzma-native (liblzma, preset 6, as
 * Python's lzma module that Spark uses): @napi-rs/lzma 1.4.x, the last release for Node 20,
 * writes valid xz but stores the data nearly uncompressed (218 kB instead of 3.5 kB for ab_brain).
 */
import { xz } from '@napi-rs/lzma';
import lzma from 'lzma-native';
import { FileFormatError } from '../core/errors.ts';
import { isXz } from './scfg.ts';

export function decompressXz(bytes: Uint8Array, file: string): Uint8Array {
  if (!isXz(bytes)) throw new FileFormatError(`${file}: not an xz stream (the magic bytes FD 37 7A 58 5A 00 are missing).`);
  try {
    return xz.decompressSync(bytes);
  } catch (e) {
    throw new FileFormatError(
      `${file}: the xz-compressed data cannot be decompressed (${(e as Error).message}); the file is truncated or damaged. ` +
        'Copy it again from its source, or re-export it from Spark (`config.to_file`) or with `spark convert`.',
    );
  }
}

export async function compressXz(data: string | Uint8Array): Promise<Uint8Array> {
  const input = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return new Promise((resolve) => lzma.compress(input, { preset: 6 }, (out) => resolve(out)));
}
