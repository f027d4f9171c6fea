import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/builtins.ts';
import { Config } from '../../src/core/config/config.ts';
import { REGISTRY } from '../../src/core/registry.ts';
import { Rng } from '../../src/core/rng.ts';

function draw(type: string, values: Record<string, unknown>, shape: number[], overrides?: Record<string, unknown>, seed = 1): Float32Array {
  const def = REGISTRY.getInitializer(type, 'test');
  const cfg = new Config(def.schema, values);
  return def.init(cfg, new Rng(seed), shape, overrides);
}

test('constant_initializer: every entry is scale, clipped', () => {
  const a = draw('constant_initializer', { scale: 2.5 }, [3, 4]);
  assert.equal(a.length, 12);
  assert.ok(a.every((x) => x === 2.5));
  assert.ok(draw('constant_initializer', { scale: 2.5, max_value: 1 }, [5]).every((x) => x === 1));
});

test('uniform_initializer: shape, bounds [0, scale), mean scale/2, clip', () => {
  const a = draw('uniform_initializer', { scale: 4 }, [100, 100]);
  assert.equal(a.length, 10000);
  assert.ok(a.every((x) => x >= 0 && x < 4));
  const mean = a.reduce((s, x) => s + x, 0) / a.length;
  assert.ok(Math.abs(mean - 2) < 0.05, `mean ${mean}`);
  const c = draw('uniform_initializer', { scale: 4, min_value: 1, max_value: 3 }, [1000]);
  assert.ok(c.every((x) => x >= 1 && x <= 3));
  assert.ok(c.some((x) => x === 1) && c.some((x) => x === 3));
  // Integer dtypes truncate (the delay kernels use this: floor(clip(U·(B+1), 1)) ∈ 1..B).
  const d = draw('uniform_initializer', { dtype: 'uint8' }, [2000], { scale: 5, min_value: 1 });
  assert.deepEqual([...new Set(d)].sort(), [1, 2, 3, 4]);
});

test('sparse_uniform_initializer: density within tolerance, values in (0, scale)', () => {
  const a = draw('sparse_uniform_initializer', { scale: 6, density: 0.15 }, [256, 832]);
  const nz = a.filter((x) => x !== 0);
  const density = nz.length / a.length;
  assert.ok(Math.abs(density - 0.15) < 0.005, `density ${density}`);
  assert.ok(nz.every((x) => x > 0 && x < 6));
});

test('sparse_uniform_initializer: stays sparse with min_value > 0 (Spark fills the zeros)', () => {
  const a = draw('sparse_uniform_initializer', { scale: 2, density: 0.2, min_value: 1, max_value: 1.5 }, [1000]);
  const nz = a.filter((x) => x !== 0);
  assert.ok(Math.abs(nz.length / 1000 - 0.2) < 0.04);
  assert.ok(nz.every((x) => x >= 1 && x <= 1.5));
});

test('normalized_sparse_uniform_initializer: each row (per norm axis index) sums to scale', () => {
  const a = draw('normalized_sparse_uniform_initializer', { scale: 3, density: 0.3 }, [20, 50]);
  for (let o = 0; o < 20; o++) {
    let s = 0;
    let nz = 0;
    for (let i = 0; i < 50; i++) {
      s += a[o * 50 + i];
      if (a[o * 50 + i] !== 0) nz++;
    }
    assert.ok(Math.abs(s - 3) < 1e-5, `row ${o} sums to ${s}`);
    assert.ok(nz > 0 && nz < 50);
  }
  // norm_axes = [1]: columns sum to scale.
  const b = draw('normalized_sparse_uniform_initializer', { scale: 1, density: 0.5, norm_axes: [1] }, [30, 4]);
  for (let i = 0; i < 4; i++) {
    let s = 0;
    for (let o = 0; o < 30; o++) s += b[o * 4 + i];
    assert.ok(Math.abs(s - 1) < 1e-5);
  }
  assert.throws(() => draw('normalized_sparse_uniform_initializer', {}, [10]), /at least 2 dimensions/);
});

test('initializers are reproducible from the seed and differ across seeds', () => {
  const a = draw('sparse_uniform_initializer', {}, [50, 50], undefined, 7);
  const b = draw('sparse_uniform_initializer', {}, [50, 50], undefined, 7);
  const c = draw('sparse_uniform_initializer', {}, [50, 50], undefined, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});
