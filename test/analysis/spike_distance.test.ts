import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isiDistance, spikeDistance } from '../../src/analysis/spike_distance.ts';
import { Rng } from '../../src/core/rng.ts';

const close = (actual: number, expected: number, tol = 1e-13): void => {
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);
};

/** ∑ widths × values / T, for PySpike's piecewise-constant reference profiles. */
const pwcAverage = (x: number[], y: number[]): number => {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (x[i + 1] - x[i]) * y[i];
  return s / (x[x.length - 1] - x[0]);
};

/**
 * PySpike's reference recipe for the SPIKE profile: per interval, S goes linearly from
 * (s1·isi2 + s2·isi1)/(0.5(isi1 + isi2)²) at the left values to the same at the right values.
 */
const pwlAverage = (x: number[], s1: number[], s2: number[], isi1: number[], isi2: number[]): number => {
  let s = 0;
  for (let i = 0; i < isi1.length; i++) {
    const den = 0.5 * (isi1[i] + isi2[i]) ** 2;
    const y1 = (s1[i] * isi2[i] + s2[i] * isi1[i]) / den;
    const y2 = (s1[i + 1] * isi2[i] + s2[i + 1] * isi1[i]) / den;
    s += ((x[i + 1] - x[i]) * (y1 + y2)) / 2;
  }
  return s / (x[x.length - 1] - x[0]);
};

function randomTrain(rng: Rng, n: number, t0: number, t1: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(t0 + rng.uniform() * (t1 - t0));
  return out.sort((p, q) => p - q);
}

test('identical trains have distance 0', () => {
  const rng = new Rng(7);
  const trains = [[], [0], [4], [2], [1, 3], [0, 4], [0.5, 1.5, 2.25, 3.9], randomTrain(rng, 30, 0, 4)];
  for (const t of trains) {
    assert.equal(isiDistance(t, t, 0, 4), 0);
    assert.equal(spikeDistance(t, t, 0, 4), 0);
  }
});

test('hand-computed: a = [1, 3], b = [2]', () => {
  // On [0, 4]: a's ISI is 2 everywhere (edges: max(1 − 0, 3 − 1) = 2 and max(4 − 3, 3 − 1) = 2),
  // b's is 2 on [0, 2] and 4 − 2 = 2 on [2, 4], so I(t) = 0.
  assert.equal(isiDistance([1, 3], [2], 0, 4), 0);
  // Every spike is 1 away from the other train's nearest (b's edges sit at 0 and 4, a's at −1
  // and 5), so S_1 = S_2 = 1 and S = (1·2 + 1·2)/(2·2²) = 0.5 throughout.
  close(spikeDistance([1, 3], [2], 0, 4), 0.5);
  // On [0, 5]: b's last ISI becomes 5 − 2 = 3 (a's stays max(2, 2) = 2), so
  // I = 0 on [0, 2] and |2 − 3|/3 on [2, 5]: D_I = 3·(1/3)/5 = 0.2.
  close(isiDistance([1, 3], [2], 0, 5), 0.2);
  // S = 0.5 on [0, 2]; on [2, 5] S = (1·3 + 1·2)/(2·2.5²) = 0.4: D_S = (2·0.5 + 3·0.4)/5 = 0.44.
  close(spikeDistance([1, 3], [2], 0, 5), 0.44);
});

test('PySpike test_distance.py: ISI reference profiles', () => {
  // test_isi, first pair on [0, 1].
  let x = [0.0, 0.2, 0.3, 0.4, 0.45, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0];
  let y = [0.1 / 0.3, 0.1 / 0.3, 0.05 / 0.2, 0.05 / 0.2, 0.15 / 0.35, 0.25 / 0.35, 0.05 / 0.35, 0.2 / 0.3, 0.25 / 0.3, 0.25 / 0.3];
  close(isiDistance([0.2, 0.4, 0.6, 0.7], [0.3, 0.45, 0.8, 0.9, 0.95], 0, 1), pwcAverage(x, y));
  // Second pair, with shared spikes.
  x = [0.0, 0.1, 0.2, 0.4, 0.5, 0.6, 1.0];
  y = [0.1 / 0.3, 0.1 / 0.3, 0.1 / 0.3, 0.1 / 0.2, 0.1 / 0.2, 0.0 / 0.5];
  close(isiDistance([0.2, 0.4, 0.6], [0.1, 0.4, 0.5, 0.6], 0, 1), pwcAverage(x, y));
});

test('PySpike test_distance.py: SPIKE reference values', () => {
  // Value from SPIKY quoted in PySpike's test_spike.
  close(spikeDistance([0, 2, 5, 8], [0, 1, 5, 9], 0, 10), 0.186309523809523814, 1e-15);

  const x = [0.0, 0.2, 0.3, 0.4, 0.45, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0];
  const s1 = [0.1, 0.1, (0.1 * 0.1 + 0.05 * 0.1) / 0.2, 0.05, (0.05 * 0.15 * 2) / 0.2, 0.15, 0.1,
    (0.1 * 0.1 + 0.1 * 0.2) / 0.3, (0.1 * 0.2 + 0.1 * 0.1) / 0.3, (0.1 * 0.05 + 0.1 * 0.25) / 0.3, 0.1];
  const s2 = [0.1, (0.1 * 0.2 + 0.1 * 0.1) / 0.3, 0.1, (0.1 * 0.05 * 2) / 0.15, 0.05,
    (0.05 * 0.2 + 0.1 * 0.15) / 0.35, (0.05 * 0.1 + 0.1 * 0.25) / 0.35, 0.1, 0.1, 0.05, 0.05];
  const isi1 = [0.2, 0.2, 0.2, 0.2, 0.2, 0.1, 0.3, 0.3, 0.3, 0.3];
  const isi2 = [0.3, 0.3, 0.15, 0.15, 0.35, 0.35, 0.35, 0.1, 0.05, 0.05];
  close(spikeDistance([0.2, 0.4, 0.6, 0.7], [0.3, 0.45, 0.8, 0.9, 0.95], 0, 1), pwlAverage(x, s1, s2, isi1, isi2), 1e-15);

  // Shared spikes, with PySpike's ("Eero's") edge correction.
  close(
    spikeDistance([0.2, 0.4, 0.6], [0.1, 0.4, 0.5, 0.6], 0, 1),
    pwlAverage(
      [0.0, 0.1, 0.2, 0.4, 0.5, 0.6, 1.0],
      [0.1, (0.1 * 0.1 + 0.1 * 0.1) / 0.2, 0.1, 0.0, 0.0, 0.0, 0.0],
      [0.1, (0.1 * 0.3) / 0.3, (0.1 * 0.2) / 0.3, 0.0, 0.1, 0.0, 0.0],
      [0.2, 0.2, 0.2, 0.2, 0.2, 0.4],
      [0.3, 0.3, 0.3, 0.1, 0.1, 0.4],
    ),
    1e-15,
  );
});

test('PySpike test_empty.py: empty and one-spike trains', () => {
  assert.equal(isiDistance([], [], 0, 1), 0);
  assert.equal(spikeDistance([], [], 0, 1), 0);

  close(isiDistance([], [0.4], 0, 1), 0.6 * 0.4 + 0.4 * 0.6);
  close(spikeDistance([], [0.4], 0, 1), (2 * 0.4 * 0.4 * 1.0) / (0.4 + 1.0) ** 2 + (2 * 0.6 * 0.4 * 1.0) / (0.6 + 1.0) ** 2, 1e-15);

  close(isiDistance([0.6], [0.4], 0, 1), (0.2 / 0.6) * 0.4 + 0.0 + (0.2 / 0.6) * 0.4, 1e-15);
  close(
    spikeDistance([0.6], [0.4], 0, 1),
    pwlAverage([0.0, 0.4, 0.6, 1.0], [0.2, 0.2, 0.2, 0.2], [0.2, 0.2, 0.2, 0.2], [0.6, 0.6, 0.4], [0.4, 0.6, 0.6]),
    1e-15,
  );
});

test('regression: Brian2 LIF vs AdEx spike trains (seed 0) against PySpike', () => {
  // shared/fidelity {lif,adex}_seed0_spikes.csv on [0, 1000] ms; expected values from PySpike's
  // python backend (commit 56464c6) with default options.
  const lif = [13.8, 106.1, 117.1, 123.2, 357.8, 442.6, 457.2, 491.4, 497.7, 584.7, 628.8, 687.7, 698.3, 776.4, 995.0];
  const adex = [13.9, 15.7, 105.0, 107.5, 118.4, 120.3, 123.7, 356.5, 364.5, 442.5, 444.8, 450.2, 497.8, 500.2, 631.8,
    694.2, 701.1, 777.6, 780.5, 994.7, 996.1, 998.5];
  close(isiDistance(lif, adex, 0, 1000), 0.15228983924133915, 1e-12);
  close(spikeDistance(lif, adex, 0, 1000), 0.04922190848288529, 1e-12);
});

test('symmetric and bounded in [0, 1] on random trains', () => {
  const rng = new Rng(12345);
  for (let k = 0; k < 300; k++) {
    const T = 1 + rng.uniform() * 50;
    const a = randomTrain(rng, rng.int(12), 0, T);
    const b = randomTrain(rng, rng.int(12), 0, T);
    for (const f of [isiDistance, spikeDistance]) {
      const ab = f(a, b, 0, T);
      const ba = f(b, a, 0, T);
      close(ab, ba, 1e-12);
      assert.ok(ab >= 0 && ab <= 1, `${f.name} = ${ab} out of [0, 1]`);
    }
  }
});

test('shifting one train away increases the distance', () => {
  const a = [10, 22, 35, 41, 58, 63, 77, 90];
  const at = (d: number): number[] => a.map((t) => t + d);
  const spike = [0, 0.5, 2, 5].map((d) => spikeDistance(a, at(d), 0, 100));
  for (let i = 1; i < spike.length; i++) assert.ok(spike[i] > spike[i - 1], `SPIKE not increasing: ${spike}`);
  // The ISI-distance only sees rates, so a pure shift leaves it small; moving the train out of
  // the window (empty train) makes it large.
  assert.ok(isiDistance(a, at(200), 0, 100) > isiDistance(a, at(2), 0, 100));
  assert.ok(spikeDistance(a, at(200), 0, 100) > spike[spike.length - 1]);
});

test('unsorted, duplicated and out-of-window spikes are cleaned; bad windows throw', () => {
  const clean = [0.2, 0.4, 0.6, 0.7];
  const messy = [0.7, 0.4, 0.2, 0.4, 0.6, -1, 2];
  const other = [0.3, 0.45, 0.8, 0.9, 0.95];
  assert.equal(isiDistance(messy, other, 0, 1), isiDistance(clean, other, 0, 1));
  assert.equal(spikeDistance(messy, other, 0, 1), spikeDistance(clean, other, 0, 1));
  assert.equal(spikeDistance(Float64Array.from(clean), other, 0, 1), spikeDistance(clean, other, 0, 1));
  assert.throws(() => isiDistance([1], [2], 5, 5), /tStart < tEnd/);
  assert.throws(() => spikeDistance([1], [2], 0, Number.NaN), /tStart < tEnd/);
  assert.throws(() => spikeDistance([Number.NaN], [2], 0, 4), /spike 0 is not a finite number/);
});
