/**
 * Numeric CSV files with a header row, plain or gzip-compressed (Node only).
 *
 * Reading detects gzip by its magic bytes (1f 8b, RFC 1952 §2.3.1), not by extension, and parses
 * with csv-parse. Writing joins numbers by hand (they never need quoting) and gzips when the
 * path ends in ".gz".
 */
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { parse } from 'csv-parse/sync';

const gunzipAsync = promisify(gunzip);
const gzipAsync = promisify(gzip);

export interface NumericCsv {
  /** Column names in file order. */
  columns: string[];
  /** One array per column, each with one value per data row. */
  data: Record<string, Float64Array>;
}

// Decimal numbers as written by C, Python, numpy and JS, plus their NaN/infinity spellings.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number> = {
  nan: Number.NaN, '+nan': Number.NaN, '-nan': Number.NaN,
  inf: Infinity, '+inf': Infinity, '-inf': -Infinity,
  infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity,
};

/** The cell's value, or undefined when it is not a number. */
function parseCell(cell: string): number | undefined {
  if (NUMBER.test(cell)) return Number(cell);
  const key = cell.toLowerCase();
  return Object.prototype.hasOwnProperty.call(SPECIAL, key) ? SPECIAL[key] : undefined;
}

/**
 * Reads a numeric CSV (plain or gzip) whose first row names the columns. Throws an Error naming
 * the file on a missing/unreadable file, bad gzip, malformed CSV, duplicate or missing header,
 * ragged rows, and non-numeric or empty cells (with line and column).
 */
export async function readNumericCsv(path: string): Promise<NumericCsv> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.message;
    throw new Error(`readNumericCsv: cannot read ${path}: ${why}`, { cause: e });
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (e) {
      throw new Error(`readNumericCsv: ${path}: corrupt gzip data: ${(e as Error).message}`, { cause: e });
    }
  }

  let rows: { info: { lines: number }; record: string[] }[];
  try {
    // `info` makes each row {info, record}, giving line numbers for error messages.
    rows = parse(bytes, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof rows;
  } catch (e) {
    throw new Error(`readNumericCsv: ${path}: malformed CSV: ${(e as Error).message}`, { cause: e });
  }
  if (rows.length === 0) throw new Error(`readNumericCsv: ${path}: empty file, expected a header row`);

  const columns = rows[0].record;
  const seen = new Set<string>();
  columns.forEach((name, j) => {
    if (name === '') throw new Error(`readNumericCsv: ${path}: header column ${j + 1} has no name`);
    if (seen.has(name)) throw new Error(`readNumericCsv: ${path}: duplicate column name "${name}"`);
    seen.add(name);
  });

  const n = rows.length - 1;
  const arrays = columns.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const { info, record } = rows[i + 1];
    if (record.length !== columns.length) {
      throw new Error(
        `readNumericCsv: ${path}: line ${info.lines} has ${record.length} fields but the header has ${columns.length}`,
      );
    }
    for (let j = 0; j < record.length; j++) {
      const v = parseCell(record[j]);
      if (v === undefined) {
        const shown = record[j] === '' ? 'an empty cell' : `non-numeric value ${JSON.stringify(record[j])}`;
        throw new Error(`readNumericCsv: ${path}: line ${info.lines}, column "${columns[j]}" has ${shown}`);
      }
      arrays[j][i] = v;
    }
  }
  return { columns, data: Object.fromEntries(columns.map((c, j) => [c, arrays[j]])) };
}

function quoteName(name: string): string {
  return /[",\r\n]|^\s|\s$/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/**
 * Writes a numeric CSV with a header row. `values` is either an array of rows (each with one
 * value per column) or a record of column arrays keyed by column name (as `readNumericCsv`
 * returns). Numbers are written in JS shortest round-trip form (NaN, Infinity as such);
 * the file is gzip-compressed when `path` ends in ".gz".
 */
export async function writeCsv(
  path: string,
  columns: string[],
  values: ArrayLike<number>[] | Record<string, ArrayLike<number>>,
): Promise<void> {
  if (columns.length === 0) throw new Error(`writeCsv: ${path}: no columns`);
  const lines: string[] = [columns.map(quoteName).join(',')];
  if (Array.isArray(values)) {
    values.forEach((row, i) => {
      if (row.length !== columns.length) {
        throw new Error(`writeCsv: ${path}: row ${i} has ${row.length} values but there are ${columns.length} columns`);
      }
      lines.push(Array.from(row, String).join(','));
    });
  } else {
    const cols = columns.map((c) => {
      if (!Object.prototype.hasOwnProperty.call(values, c)) throw new Error(`writeCsv: ${path}: no data for column "${c}"`);
      return values[c];
    });
    const n = cols[0].length;
    cols.forEach((col, j) => {
      if (col.length !== n) {
        throw new Error(`writeCsv: ${path}: column "${columns[j]}" has ${col.length} values, column "${columns[0]}" has ${n}`);
      }
    });
    const cells = new Array<string>(cols.length);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < cols.length; j++) cells[j] = String(cols[j][i]);
      lines.push(cells.join(','));
    }
  }
  const text = lines.join('\n') + '\n';
  await writeFile(path, path.endsWith('.gz') ? await gzipAsync(text) : text);
}
