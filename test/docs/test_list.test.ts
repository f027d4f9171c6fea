import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [relative(root, join(dir, e.name))] : [],
  );
}

test('npm test runs every test file (Node 20 does not glob, so test/files.txt lists them)', () => {
  const listed = readFileSync(join(root, 'test/files.txt'), 'utf8').split('\n').filter(Boolean);
  assert.deepEqual([...listed].sort(), testFiles(join(root, 'test')).sort(), 'add new test files to test/files.txt');
  assert.equal(new Set(listed).size, listed.length, 'no file is listed twice');
});
