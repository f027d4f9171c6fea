/** `spark neuron`: runs a soma on a small CSV and checks the written trace, spikes and errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/builtins.ts';
import { parseSetting, runNeuronCommand } from '../../src/cli/neuron.ts';
import { ConfigError, FileFormatError, InputError, RegistryError, SparkError } from '../../src/core/errors.ts';
import { readNumericCsv } from '../../src/io/csv.node.ts';

test('spark neuron: voltage trace and spikes of a LIF under a current step', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'spark-neuron-'));
  try {
    // 0.5 ms steps; 0 nA for 4 steps, then 3 nA: R·I = 0.01 GΩ × 3000 pA = 30 mV above rest.
    const rows = ['t_ms,I_nA'];
    for (let k = 0; k < 100; k++) rows.push(`${k * 0.5},${k < 4 ? 0 : 3}`);
    const input = join(dir, 'in.csv');
    await writeFile(input, rows.join('\n'));
    const out = join(dir, 'run.csv');
    const spikes = join(dir, 'spikes.csv');
    const settings = ['potential_rest=-70', 'potential_reset=-65', 'threshold=-50', 'potential_tau=8', 'resistance=0.01'];
    const r = await runNeuronCommand('leaky_soma', { current: input, set: settings, out, spikes });
    assert.equal(r.dt, 0.5); // inferred from t_ms
    assert.equal(r.steps, 100);
    const trace = await readNumericCsv(out);
    assert.deepEqual(trace.columns, ['t_ms', 'I_pA', 'v_mV']);
    assert.equal(trace.data.I_pA[10], 3000);
    assert.equal(trace.data.v_mV[0], -70); // recorded before the update, absolute
    // Row k+1 is the closed-form LIF k−3 steps into the step: v = −70 + 30(1 − e^(−(k−3)·0.5/8)).
    const decay = Math.exp(-0.5 / 8);
    assert.ok(Math.abs(trace.data.v_mV[6] - (-70 + 30 * (1 - decay ** 2))) < 1e-4);
    const sp = await readNumericCsv(spikes);
    assert.deepEqual(sp.columns, ['step', 't_ms']);
    assert.equal(sp.data.step.length, r.spikeCount);
    // First crossing of −50: 30(1 − decay^m) > 20 → m > 8·ln 3 / 0.5 = 17.6, so m = 18, step 3 + 18.
    assert.equal(sp.data.step[0], 21);
    assert.equal(sp.data.t_ms[0], 10.5);
    assert.equal(trace.data.v_mV[22], -65); // reset value in the row after the spike

    // pA input and an explicit dt give the same spikes.
    const pa = join(dir, 'pa.csv');
    await writeFile(pa, ['I', ...Array.from({ length: 100 }, (_, k) => (k < 4 ? 0 : 3000))].join('\n'));
    const r2 = await runNeuronCommand('leaky_soma', { current: pa, column: 'I', currentUnit: 'pA', dt: '0.5', set: settings });
    assert.equal(r2.spikeCount, r.spikeCount);

    // Clear errors.
    await assert.rejects(runNeuronCommand('leaky_somma', { current: input }), RegistryError);
    await assert.rejects(runNeuronCommand('leaky_soma', { current: input, set: ['potential_ta=3'] }), /Did you mean 'potential_tau'/);
    await assert.rejects(runNeuronCommand('leaky_soma', { current: input, set: ['potential_tau=-3'] }), ConfigError);
    await assert.rejects(runNeuronCommand('leaky_soma', { current: input, column: 'I' }), (e: Error) => {
      assert.ok(e instanceof InputError && /Columns: t_ms, I_nA/.test(e.message), e.message);
      return true;
    });
    await assert.rejects(runNeuronCommand('leaky_soma', { current: join(dir, 'none.csv') }), FileFormatError);
    await assert.rejects(runNeuronCommand('linear_synapses', { current: input }), /not a soma/);
    await assert.rejects(runNeuronCommand('leaky_soma', { current: input, currentUnit: 'mA' }), SparkError);
    await assert.rejects(runNeuronCommand('leaky_soma', { current: input, dt: 'x' }), InputError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--set values: numbers, JSON arrays and bare strings', () => {
  assert.deepEqual(parseSetting('potential_tau=8'), ['potential_tau', 8]);
  assert.deepEqual(parseSetting('threshold=[-50, -45]'), ['threshold', [-50, -45]]);
  assert.deepEqual(parseSetting('method=rk2'), ['method', 'rk2']);
  assert.throws(() => parseSetting('method'), InputError);
});
