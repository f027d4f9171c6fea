import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/index.ts';
import { PoissonSpiker } from '../../src/interfaces/input/poisson_spiker.ts';
import type { SpikeArray } from '../../src/core/payload.ts';

function total(m: PoissonSpiker, signal: number[], steps: number): number[] {
  const n = new Array<number>(signal.length).fill(0);
  for (let t = 0; t < steps; t++) {
    const s = m.call({ signal }).spikes as SpikeArray;
    for (let c = 0; c < s.count; c++) n[s.indices[c]]++;
  }
  return n;
}

test('rate ≈ max_freq·signal within 5 binomial standard deviations', () => {
  const units = 500;
  const steps = 1000;
  for (const [signal, maxFreq, dt] of [
    [0.3, 100, 1],
    [1, 100, 1],
    [0.5, 40, 0.5],
  ]) {
    const m = new PoissonSpiker({ seed: 3, max_freq: maxFreq, dt });
    const n = total(m, new Array(units).fill(signal), steps).reduce((a, b) => a + b, 0);
    const p = (dt * maxFreq * signal) / 1000;
    const mean = units * steps * p;
    const sd = Math.sqrt(units * steps * p * (1 - p));
    assert.ok(Math.abs(n - mean) < 5 * sd, `signal ${signal}, ${maxFreq} Hz, dt ${dt}: ${n} spikes, expected ${mean} ± ${sd.toFixed(0)}`);
    // Measured rate in Hz.
    const hz = n / units / ((steps * dt) / 1000);
    assert.ok(Math.abs(hz - maxFreq * signal) < 0.05 * maxFreq * signal + 1, `${hz} Hz`);
  }
});

test('same seed → same spikes; different seed → different; zero signal → silence', () => {
  const a = total(new PoissonSpiker({ seed: 7 }), new Array(50).fill(0.5), 100);
  const b = total(new PoissonSpiker({ seed: 7 }), new Array(50).fill(0.5), 100);
  const c = total(new PoissonSpiker({ seed: 8 }), new Array(50).fill(0.5), 100);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.equal(total(new PoissonSpiker({ seed: 1 }), [0, 0, 0], 1000).join(), '0,0,0');
});
