import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from '../../src/io/safetensors.ts';

/** Builds a file by hand: u64 LE header length, header text padded with spaces, then data. */
function handBuilt(header: string, data: number[] = [], pad = true): Uint8Array {
  let json = new TextEncoder().encode(header);
  if (pad) {
    const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function headerText(file: Uint8Array): string {
  const n = new DataView(file.buffer, file.byteOffset).getUint32(0, true);
  return new TextDecoder().decode(file.subarray(8, 8 + n));
}

test('round trip of every dtype, scalars and zero-size tensors', () => {
  const tensors: Record<string, SafetensorsTensor> = {
    f32: { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, -2.5, 3.25, Math.fround(0.1), Infinity, -0]) },
    f64: { dtype: 'F64', shape: [4], data: Float64Array.from([Math.PI, -1e-300, Number.NaN, 1e300]) },
    i32: { dtype: 'I32', shape: [3], data: Int32Array.from([-2147483648, 0, 2147483647]) },
    u32: { dtype: 'U32', shape: [1, 2], data: Uint32Array.from([0, 4294967295]) },
    u8: { dtype: 'U8', shape: [5], data: Uint8Array.from([0, 1, 127, 128, 255]) },
    i8: { dtype: 'I8', shape: [3], data: Int8Array.from([-128, 0, 127]) },
    u16: { dtype: 'U16', shape: [2], data: Uint16Array.from([0, 65535]) },
    i16: { dtype: 'I16', shape: [2], data: Int16Array.from([-32768, 32767]) },
    flags: { dtype: 'BOOL', shape: [2, 2], data: Uint8Array.from([1, 0, 0, 1]) },
    scalar: { dtype: 'F64', shape: [], data: Float64Array.from([-70]) },
    scalarI8: { dtype: 'I8', shape: [], data: Int8Array.from([-3]) },
    empty: { dtype: 'F32', shape: [0], data: new Float32Array(0) },
    empty2: { dtype: 'U16', shape: [3, 0, 2], data: new Uint16Array(0) },
    '0': { dtype: 'U8', shape: [1], data: Uint8Array.from([9]) },
    'ünï/cödé.weight': { dtype: 'F32', shape: [1], data: Float32Array.from([7]) },
  };
  const metadata = { format: 'pt', note: 'spark "quoted" \n ✓' };
  const file = encodeSafetensors(tensors, metadata);
  const header = new DataView(file.buffer).getUint32(0, true);
  assert.equal(header % 8, 0, 'header padded to 8 bytes');
  const back = decodeSafetensors(file);
  assert.deepEqual(back.metadata, metadata);
  assert.deepEqual(Object.keys(back.tensors).sort(), Object.keys(tensors).sort());
  for (const [name, t] of Object.entries(tensors)) {
    const d = back.tensors[name];
    assert.equal(d.dtype, t.dtype, name);
    assert.deepEqual(d.shape, t.shape, name);
    assert.equal(d.data.constructor, t.data.constructor, name);
    assert.deepEqual(Array.from(d.data), Array.from(t.data), name);
    assert.equal(d.data.byteOffset, 0);
  }
  assert.ok(Object.is(back.tensors.f32.data[5], -0));
  // Decoded arrays are copies, not views on the file.
  (back.tensors.u8.data as Uint8Array)[0] = 42;
  assert.deepEqual(decodeSafetensors(file).tensors.u8.data, tensors.u8.data);
});

test('encoder writes the reference layout: wider dtypes first, then by name, offsets contiguous', () => {
  const file = encodeSafetensors({
    b: { dtype: 'F32', shape: [1], data: Float32Array.from([1]) },
    c: { dtype: 'U8', shape: [2], data: Uint8Array.from([1, 2]) },
    a: { dtype: 'F32', shape: [], data: Float32Array.from([-2]) },
    z: { dtype: 'F64', shape: [], data: Float64Array.from([0.5]) },
  });
  assert.equal(
    headerText(file).trimEnd(),
    '{"z":{"dtype":"F64","shape":[],"data_offsets":[0,8]},' +
      '"a":{"dtype":"F32","shape":[],"data_offsets":[8,12]},' +
      '"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},' +
      '"c":{"dtype":"U8","shape":[2],"data_offsets":[16,18]}}',
  );
  const n = new DataView(file.buffer).getUint32(0, true);
  // Little-endian IEEE bytes: 0.5 = 3fe0…0, -2 = c0000000, 1 = 3f800000.
  assert.deepEqual(Array.from(file.subarray(8 + n)), [
    0, 0, 0, 0, 0, 0, 0xe0, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0x80, 0x3f, 1, 2,
  ]);
  assert.equal(file.length, 8 + n + 18);
});

test('hand-built files decode', () => {
  // The example from safetensors' Rust docs: a 60-byte header and a 2×2 I32 of zeros.
  const rustExample = handBuilt('{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}', new Array(16).fill(0), false);
  assert.equal(rustExample[0], 60);
  const ex = decodeSafetensors(rustExample);
  assert.deepEqual(ex.metadata, {});
  assert.equal(ex.tensors.test.dtype, 'I32');
  assert.deepEqual(Array.from(ex.tensors.test.data), [0, 0, 0, 0]);

  // Offsets out of header order, metadata last, extra whitespace, and a zero-size tensor.
  const header = `{
    "w": {"dtype": "I16", "shape": [2], "data_offsets": [8, 12]},
    "v": {"dtype": "F64", "shape": [], "data_offsets": [0, 8]},
    "none": {"dtype": "F32", "shape": [0, 4], "data_offsets": [12, 12]},
    "__metadata__": {"model": "lif", "dt": "0.1"}
  }`;
  const bytes = [0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0xfe, 0xff, 0x03, 0x00]; // 1.0, -2, 3
  const file = handBuilt(header, bytes);
  // Decode from an odd offset into a larger buffer: the copies must still be aligned.
  const shifted = new Uint8Array(file.length + 1);
  shifted.set(file, 1);
  const got = decodeSafetensors(shifted.subarray(1));
  assert.deepEqual(got.metadata, { model: 'lif', dt: '0.1' });
  assert.deepEqual(Object.keys(got.tensors), ['w', 'v', 'none']);
  assert.deepEqual(got.tensors.v, { dtype: 'F64', shape: [], data: Float64Array.from([1]) });
  assert.deepEqual(got.tensors.w, { dtype: 'I16', shape: [2], data: Int16Array.from([-2, 3]) });
  assert.deepEqual(got.tensors.none, { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) });
});

test('corrupt or truncated files throw clear errors', () => {
  const ok = '{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}';
  const bad = (bytes: Uint8Array, re: RegExp): void => {
    assert.throws(() => decodeSafetensors(bytes), (e: Error) => {
      assert.match(e.message, /^safetensors: /);
      assert.match(e.message, re);
      return true;
    });
  };
  const good = handBuilt(ok, [1, 2]);
  assert.equal(decodeSafetensors(good).tensors.a.data.length, 2);

  bad(new Uint8Array(5), /too short/);
  bad(good.subarray(0, 20), /header length 56 exceeds the 12 bytes/);
  bad(good.subarray(0, good.length - 1), /run past the 1-byte buffer/);
  bad(handBuilt(ok, [1, 2, 3]), /1 trailing bytes/);
  bad(handBuilt('[1, 2]'), /does not start with "\{"/);
  bad(handBuilt('{"a": '), /not valid JSON/);
  bad(handBuilt('{"a":"x"}'), /tensor "a": entry is not an object/);
  const invalidUtf8 = handBuilt('{"a":1}   ');
  invalidUtf8[13] = 0xff;
  bad(invalidUtf8, /not valid UTF-8/);
  bad(handBuilt('{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}', [0, 0]), /unsupported dtype "F16"/);
  bad(handBuilt('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /4 bytes for F32 shape \[2\], which needs 8/);
  bad(handBuilt('{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}}'), /invalid dimension/);
  bad(handBuilt('{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,0]}}', [0]), /data_offsets \[1,0\]/);
  bad(
    handBuilt('{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}', [0, 0, 0]),
    /tensor "b": data_offsets \[1, 3\] overlap/,
  );
  bad(handBuilt('{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', [0, 0]), /hole at \[0, 1\)/);
  bad(handBuilt('{"__metadata__":{"k":1}}'), /metadata "k" is not a string/);
});

test('encoder rejects inconsistent tensors', () => {
  assert.throws(() => encodeSafetensors({ a: { dtype: 'F32', shape: [3], data: new Float32Array(2) } }), /shape \[3\] \(3 elements\) but 2 values/);
  assert.throws(
    () => encodeSafetensors({ a: { dtype: 'F64', shape: [1], data: new Float32Array(1) } as unknown as SafetensorsTensor }),
    /dtype F64 needs a Float64Array/,
  );
  assert.throws(() => encodeSafetensors({ __metadata__: { dtype: 'U8', shape: [], data: new Uint8Array(1) } }), /reserved/);
  assert.throws(() => encodeSafetensors({ b: { dtype: 'BOOL', shape: [1], data: Uint8Array.from([2]) } }), /other than 0 and 1/);
});
