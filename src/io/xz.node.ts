/**
 * xz (LZMA2) compression for `.scfg` files, via @napi-rs/lzma (a Rust xz codec with Node
 * bindings). Errors name the file, so a truncated or damaged file reads as such.
 *
 * Note: @napi-rs/lzma 1.4.x (the last release for Node 20) writes valid xz streams that Spark
 * and `xz -d` read, but its encoder stores the data nearly uncompressed; 1.5+ (Node ≥ 22)
 * compresses properly with the same API.
 */
import { xz } from '@napi-rs/lzma';
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

export function compressXz(data: string | Uint8Array): Uint8Array {
  return xz.compressSync(data);
}
