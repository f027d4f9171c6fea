import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readNumericCsv, writeCsv } from '../../src/io/csv.node.ts';

// shared/ sits beside the repository root.
const LIF_TRACE = fileURLToPath(new URL('../../../shared/fidelity/lif_seed0_trace.csv.gz', import.meta.url));

async function withTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'spark-csv-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('reads the gzipped Brian2 LIF trace', async () => {
  const { columns, data } = await readNumericCsv(LIF_TRACE);
  assert.deepEqual(columns, ['t_ms', 'I_nA', 'v_mV']);
  for (const c of columns) assert.equal(data[c].length, 10000);
  assert.equal(data.t_ms[0], 0);
  assert.equal(data.v_mV[0], -70);
  assert.equal(data.I_nA[0], 1);
  // Second row, kept at full double precision: 0.1,1.496464967390421,-69.875778
  assert.equal(data.t_ms[1], 0.1);
  assert.equal(data.I_nA[1], 1.496464967390421);
  assert.equal(data.v_mV[1], -69.875778);
  assert.ok(Math.abs(data.t_ms[9999] - 999.9) < 1e-9);
  assert.ok(data.v_mV.every(Number.isFinite));
});

test('gzip is detected by magic bytes, not by extension', async () => {
  await withTmp(async (dir) => {
    const gzNoExt = join(dir, 'trace.csv');
    await writeFile(gzNoExt, await readFile(LIF_TRACE));
    const a = await readNumericCsv(gzNoExt);
    assert.equal(a.data.v_mV.length, 10000);
    assert.equal(a.data.v_mV[0], -70);

    const plainWithGzExt = join(dir, 'plain.csv.gz');
    await writeFile(plainWithGzExt, 'x,y\n1,2\n');
    assert.deepEqual(await readNumericCsv(plainWithGzExt), {
      columns: ['x', 'y'],
      data: { x: Float64Array.from([1]), y: Float64Array.from([2]) },
    });
  });
});

test('plain CSV: BOM, CRLF, quoted header, spaces, blank lines and number spellings', async () => {
  await withTmp(async (dir) => {
    const path = join(dir, 'small.csv');
    await writeFile(
      path,
      '\ufefft_ms, "v, mV" ,n\r\n0, -70 ,3\r\n\r\n0.1,-6.9875e1,1E3\r\n.5,+2.,nan\r\n1,-inf,Infinity\r\n',
    );
    const { columns, data } = await readNumericCsv(path);
    assert.deepEqual(columns, ['t_ms', 'v, mV', 'n']);
    assert.deepEqual(Array.from(data.t_ms), [0, 0.1, 0.5, 1]);
    assert.deepEqual(Array.from(data['v, mV']), [-70, -69.875, 2, -Infinity]);
    assert.deepEqual(Array.from(data.n), [3, 1000, Number.NaN, Infinity]);

    const headerOnly = join(dir, 'header.csv');
    await writeFile(headerOnly, 'a,b\n');
    assert.deepEqual(await readNumericCsv(headerOnly), { columns: ['a', 'b'], data: { a: new Float64Array(0), b: new Float64Array(0) } });
  });
});

test('writeCsv round trips rows and column arrays, plain and gzip', async () => {
  await withTmp(async (dir) => {
    const rows = [
      [0, 0.1 + 0.2, -1e-300],
      [1.5, Number.NaN, Infinity],
      [-2, 123456789.123, 5e-324],
    ];
    const cols = ['t', 'weird "name", really', 'z'];
    const plain = join(dir, 'rows.csv');
    await writeCsv(plain, cols, rows);
    const back = await readNumericCsv(plain);
    assert.deepEqual(back.columns, cols);
    for (let j = 0; j < cols.length; j++) {
      assert.deepEqual(Array.from(back.data[cols[j]]), rows.map((r) => r[j]));
    }

    const gz = join(dir, 'cols.csv.gz');
    await writeCsv(gz, back.columns, back.data);
    const raw = await readFile(gz);
    assert.deepEqual([raw[0], raw[1]], [0x1f, 0x8b]);
    assert.deepEqual(await readNumericCsv(gz), back);

    assert.equal((await readFile(plain, 'utf8')).split('\n')[0], 't,"weird ""name"", really",z');
    await assert.rejects(writeCsv(join(dir, 'bad.csv'), ['a', 'b'], [[1, 2], [3]]), /bad\.csv: row 1 has 1 values but there are 2 columns/);
    await assert.rejects(
      writeCsv(join(dir, 'bad.csv'), ['a', 'b'], { a: [1, 2], b: [3] }),
      /column "b" has 1 values, column "a" has 2/,
    );
    await assert.rejects(writeCsv(join(dir, 'bad.csv'), ['a', 'c'], { a: [1] }), /no data for column "c"/);
  });
});

test('clear errors naming the file', async () => {
  await withTmp(async (dir) => {
    const missing = join(dir, 'nope.csv');
    await assert.rejects(readNumericCsv(missing), (e: Error) => {
      assert.ok(e.message.includes(missing), e.message);
      assert.match(e.message, /no such file/);
      return true;
    });

    const cases: [string, string | Buffer, RegExp][] = [
      ['text.csv', 'a,b\n1,2\n3,abc\n', /text\.csv: line 3, column "b" has non-numeric value "abc"/],
      ['hex.csv', 'a\n0x10\n', /hex\.csv: line 2, column "a" has non-numeric value "0x10"/],
      ['hole.csv', 'a,b\n1,\n', /hole\.csv: line 2, column "b" has an empty cell/],
      ['ragged.csv', 'a,b,c\n1,2,3\n4,5\n', /ragged\.csv: line 3 has 2 fields but the header has 3/],
      ['long.csv', 'a\n1,2\n', /long\.csv: line 2 has 2 fields but the header has 1/],
      ['empty.csv', '', /empty\.csv: empty file/],
      ['dup.csv', 'a,a\n1,2\n', /dup\.csv: duplicate column name "a"/],
      ['noname.csv', 'a,,c\n1,2,3\n', /noname\.csv: header column 2 has no name/],
      ['quote.csv', 'a,b\n"1,2\n', /quote\.csv: malformed CSV/],
      ['broken.csv.gz', gzipSync('a\n1\n').subarray(0, 12), /broken\.csv\.gz: corrupt gzip data/],
      ['gz-text.csv.gz', gzipSync('a,b\n1,x\n'), /gz-text\.csv\.gz: line 2, column "b" has non-numeric value "x"/],
    ];
    for (const [name, content, re] of cases) {
      const path = join(dir, name);
      await writeFile(path, content);
      await assert.rejects(readNumericCsv(path), re, name);
    }
  });
});
