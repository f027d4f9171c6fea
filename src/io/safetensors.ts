/**
 * safetensors container codec (format: github.com/huggingface/safetensors, README "Format").
 *
 * Layout: 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON header
 * `{"__metadata__": {str: str}, name: {dtype, shape, data_offsets: [begin, end]}}` padded with
 * spaces to a multiple of 8, then the byte buffer; offsets are relative to the buffer start.
 *
 * Written by hand: the only npm package of that name (safetensors 0.0.1) is an unmaintained
 * stub, and no maintained JS library both reads and writes the format. Pure: Uint8Array in and
 * out, no Node modules, so it works in browsers.
 */

export type SafetensorsDtype = 'F32' | 'F64' | 'I32' | 'U32' | 'U8' | 'I8' | 'U16' | 'I16' | 'BOOL';

/** Typed array holding each dtype's elements (BOOL as 0/1 bytes). */
export interface SafetensorsArrays {
  F32: Float32Array;
  F64: Float64Array;
  I32: Int32Array;
  U32: Uint32Array;
  U8: Uint8Array;
  I8: Int8Array;
  U16: Uint16Array;
  I16: Int16Array;
  BOOL: Uint8Array;
}

/** One tensor, row-major; shape [] is a scalar with one element. */
export type SafetensorsTensor = {
  [D in SafetensorsDtype]: { dtype: D; shape: number[]; data: SafetensorsArrays[D] };
}[SafetensorsDtype];

export interface SafetensorsFile {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

type AnyArrayCtor = {
  new (length: number): SafetensorsArrays[SafetensorsDtype];
  readonly BYTES_PER_ELEMENT: number;
};

const CTORS: { [D in SafetensorsDtype]: AnyArrayCtor } = {
  F64: Float64Array,
  F32: Float32Array,
  U32: Uint32Array,
  I32: Int32Array,
  U16: Uint16Array,
  I16: Int16Array,
  I8: Int8Array,
  U8: Uint8Array,
  BOOL: Uint8Array,
};

/**
 * Write order, as the reference writer (safetensors/src/tensor.rs `prepare`): descending dtype in
 * the Rust enum order, then name, which puts wider elements first so every tensor starts at a
 * multiple of its element size (the header is padded to 8).
 */
const DTYPE_RANK: { [D in SafetensorsDtype]: number } = {
  BOOL: 0, U8: 1, I8: 2, I16: 3, U16: 4, I32: 5, U32: 6, F32: 7, F64: 8,
};

/** DataView accessors for hosts that are not little-endian. */
const VIEW_GET: { [D in SafetensorsDtype]: (v: DataView, o: number) => number } = {
  F64: (v, o) => v.getFloat64(o, true),
  F32: (v, o) => v.getFloat32(o, true),
  U32: (v, o) => v.getUint32(o, true),
  I32: (v, o) => v.getInt32(o, true),
  U16: (v, o) => v.getUint16(o, true),
  I16: (v, o) => v.getInt16(o, true),
  I8: (v, o) => v.getInt8(o),
  U8: (v, o) => v.getUint8(o),
  BOOL: (v, o) => v.getUint8(o),
};
const VIEW_SET: { [D in SafetensorsDtype]: (v: DataView, o: number, x: number) => void } = {
  F64: (v, o, x) => v.setFloat64(o, x, true),
  F32: (v, o, x) => v.setFloat32(o, x, true),
  U32: (v, o, x) => v.setUint32(o, x, true),
  I32: (v, o, x) => v.setInt32(o, x, true),
  U16: (v, o, x) => v.setUint16(o, x, true),
  I16: (v, o, x) => v.setInt16(o, x, true),
  I8: (v, o, x) => v.setInt8(o, x),
  U8: (v, o, x) => v.setUint8(o, x),
  BOOL: (v, o, x) => v.setUint8(o, x),
};

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const METADATA_KEY = '__metadata__';

function isDtype(s: unknown): s is SafetensorsDtype {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(CTORS, s);
}

/** Element count of a shape, or an error message. */
function elementCount(shape: unknown): number | string {
  if (!Array.isArray(shape)) return 'shape is not an array';
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) return `shape ${JSON.stringify(shape)} has an invalid dimension`;
    n *= d;
    if (!Number.isSafeInteger(n)) return `shape ${JSON.stringify(shape)} is too large`;
  }
  return n;
}

/** Sets an own property, so a tensor named "__proto__" stays data. */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function byteCompare(a: string, b: string): number {
  // UTF-8 byte order equals code point order; JS `<` compares UTF-16 units instead.
  const ca = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const cb = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i] - cb[i];
  return ca.length - cb.length;
}

/** Serialises tensors (and optional string metadata) into a safetensors file. */
export function encodeSafetensors(
  tensors: Record<string, SafetensorsTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const names = Object.keys(tensors);
  for (const name of names) {
    if (name === METADATA_KEY) throw new Error(`safetensors: "${METADATA_KEY}" is reserved and cannot name a tensor`);
    const t = tensors[name];
    if (!isDtype(t.dtype)) throw new Error(`safetensors: tensor "${name}" has unknown dtype ${JSON.stringify(t.dtype)}`);
    if (!(t.data instanceof CTORS[t.dtype])) {
      throw new Error(`safetensors: tensor "${name}" of dtype ${t.dtype} needs a ${CTORS[t.dtype].name}`);
    }
    const n = elementCount(t.shape);
    if (typeof n === 'string') throw new Error(`safetensors: tensor "${name}": ${n}`);
    if (n !== t.data.length) {
      throw new Error(`safetensors: tensor "${name}" has shape ${JSON.stringify(t.shape)} (${n} elements) but ${t.data.length} values`);
    }
    if (t.dtype === 'BOOL' && t.data.some((v) => v > 1)) throw new Error(`safetensors: BOOL tensor "${name}" holds values other than 0 and 1`);
  }
  names.sort((a, b) => DTYPE_RANK[tensors[b].dtype] - DTYPE_RANK[tensors[a].dtype] || byteCompare(a, b));

  // Written entry by entry: JSON.stringify of an object would move integer-like names first.
  const entries: string[] = [];
  const metaKeys = metadata ? Object.keys(metadata) : [];
  if (metadata && metaKeys.length > 0) {
    for (const k of metaKeys) {
      if (typeof metadata[k] !== 'string') throw new Error(`safetensors: metadata "${k}" must be a string`);
    }
    entries.push(`${JSON.stringify(METADATA_KEY)}:{${metaKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`);
  }
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const end = offset + t.data.byteLength;
    entries.push(`${JSON.stringify(name)}:${JSON.stringify({ dtype: t.dtype, shape: t.shape, data_offsets: [offset, end] })}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${entries.join(',')}}`);
  const headerLen = Math.ceil(json.length / 8) * 8;

  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLen % 0x100000000, true);
  view.setUint32(4, Math.floor(headerLen / 0x100000000), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);

  let pos = 8 + headerLen;
  for (const name of names) {
    const t = tensors[name];
    if (LITTLE_ENDIAN_HOST) {
      out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    } else {
      const set = VIEW_SET[t.dtype];
      const size = t.data.BYTES_PER_ELEMENT;
      for (let i = 0; i < t.data.length; i++) set(view, pos + i * size, t.data[i]);
    }
    pos += t.data.byteLength;
  }
  return out;
}

interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function fail(msg: string): never {
  throw new Error(`safetensors: ${msg}`);
}

/**
 * Parses and validates a safetensors file: header length within the file, header UTF-8 JSON
 * starting with "{", known dtypes, byte lengths matching shapes, and offsets that tile the byte
 * buffer exactly (no overlaps, holes or trailing bytes, as the reference reader demands).
 * Tensor data is copied into fresh, aligned typed arrays.
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(0, true) + view.getUint32(4, true) * 0x100000000;
  if (headerLen > bytes.length - 8) {
    fail(`header length ${headerLen} exceeds the ${bytes.length - 8} bytes after the length field (truncated or not a safetensors file)`);
  }
  const headerBytes = bytes.subarray(8, 8 + headerLen);
  if (headerBytes[0] !== 0x7b) fail('header does not start with "{"');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    fail('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');

  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) fail(`"${METADATA_KEY}" is not an object`);
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`metadata "${k}" is not a string`);
        setOwn(metadata, k, v);
      }
      continue;
    }
    if (typeof info !== 'object' || info === null || Array.isArray(info)) fail(`tensor "${name}": entry is not an object`);
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (!isDtype(dtype)) fail(`tensor "${name}": unknown or unsupported dtype ${JSON.stringify(dtype)}`);
    const n = elementCount(shape);
    if (typeof n === 'string') fail(`tensor "${name}": ${n}`);
    if (
      !Array.isArray(offsets) || offsets.length !== 2 ||
      !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      fail(`tensor "${name}": data_offsets ${JSON.stringify(offsets)} is not a pair [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = offsets as [number, number];
    const want = n * CTORS[dtype].BYTES_PER_ELEMENT;
    if (end - begin !== want) {
      fail(`tensor "${name}": ${end - begin} bytes for ${dtype} shape ${JSON.stringify(shape)}, which needs ${want}`);
    }
    entries.push({ name, dtype, shape: (shape as number[]).slice(), begin, end });
  }

  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of sorted) {
    if (e.begin < covered) fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] overlap the previous tensor`);
    if (e.begin > covered) fail(`byte buffer has a hole at [${covered}, ${e.begin}) before tensor "${e.name}"`);
    if (e.end > dataLen) fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] run past the ${dataLen}-byte buffer (file truncated?)`);
    covered = e.end;
  }
  if (covered !== dataLen) fail(`byte buffer has ${dataLen - covered} trailing bytes not owned by any tensor`);

  const tensors: Record<string, SafetensorsTensor> = {};
  for (const e of entries) {
    const ctor = CTORS[e.dtype];
    const data = new ctor((e.end - e.begin) / ctor.BYTES_PER_ELEMENT);
    if (LITTLE_ENDIAN_HOST) {
      new Uint8Array(data.buffer).set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    } else {
      const get = VIEW_GET[e.dtype];
      for (let i = 0; i < data.length; i++) data[i] = get(view, dataStart + e.begin + i * ctor.BYTES_PER_ELEMENT);
    }
    setOwn(tensors, e.name, { dtype: e.dtype, shape: e.shape, data } as SafetensorsTensor);
  }
  return { tensors, metadata };
}
