import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import '../../src/index.ts';
import { describeRegistry, registryMarkdown } from '../../src/core/describe.ts';

test('docs/components.md is what `spark modules --markdown` generates from the schemas', () => {
  const onDisk = readFileSync(new URL('../../docs/components.md', import.meta.url), 'utf8');
  const generated = registryMarkdown(describeRegistry());
  assert.ok(
    onDisk === generated,
    'docs/components.md is stale: regenerate it with `npx spark modules --markdown > docs/components.md`',
  );
});

test('every registered module documents its source and equations', () => {
  for (const m of describeRegistry()) {
    if (m.kind === 'initializer') continue;
    assert.ok(m.reference && m.reference.length > 5, `${m.name} cites a source`);
    if (['soma', 'synapse', 'plasticity', 'input', 'output'].includes(m.category)) assert.ok(m.equations, `${m.name} has equations`);
  }
});
