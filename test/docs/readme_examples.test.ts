import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The README's TypeScript examples, with the package imports pointed at the sources. */
function examples(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) =>
    m[1]
      .replaceAll("'spark-snn/node'", `'${join(root, 'src/node.ts')}'`)
      .replaceAll("'spark-snn'", `'${join(root, 'src/index.ts')}'`)
      .replaceAll("'models/", `'${join(root, 'models')}/`),
  );
}

test('every TypeScript example in the README runs as written', () => {
  const list = examples();
  assert.ok(list.length >= 3, 'the README has its tour examples');
  const dir = mkdtempSync(join(tmpdir(), 'readme-'));
  list.forEach((code, i) => {
    const file = join(dir, `example${i}.ts`);
    writeFileSync(file, code);
    try {
      execFileSync(process.execPath, ['--import', import.meta.resolve('tsx'), file], { cwd: dir, stdio: 'pipe', timeout: 120_000 });
    } catch (e) {
      const err = e as { stderr?: Buffer };
      assert.fail(`README example ${i + 1} failed:\n${code}\n${err.stderr?.toString() ?? e}`);
    }
  });
});
