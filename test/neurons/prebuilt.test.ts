import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/index.ts';
import { Brain } from '../../src/controllers/brain.ts';
import type { Neuron } from '../../src/controllers/neuron.ts';
import { Config } from '../../src/core/config/config.ts';
import { ConfigError } from '../../src/core/errors.ts';
import type { SpikeArray } from '../../src/core/payload.ts';
import { REGISTRY } from '../../src/core/registry.ts';

const missing = (...names: string[]): string | false => {
  const gone = names.filter((n) => !REGISTRY.modules.has(n));
  return gone.length ? `waiting for ${gone.join(', ')}` : false;
};

const PREBUILT = [
  { type: 'lif_neuron', synapses: 'linear_synapses', soma: 'leaky_soma' },
  { type: 'alif_neuron', synapses: 'traced_synapses', soma: 'adaptive_leaky_soma' },
  { type: 'ad_ex_neuron', synapses: 'traced_synapses', soma: 'adaptive_exponential_soma' },
];

/** Spike raster (flat unit indices per step) of a neuron driven by Poisson spikes. */
function raster(type: string, seed: number, config: Record<string, unknown>, signal = 1, steps = 200): number[][] {
  const brain = new Brain({
    seed,
    modules_specs: [
      { name: 'in', module: 'poisson_spiker', inputs: { signal: '__call__.x' }, config: { max_freq: 200 } },
      { name: 'A', module: type, inputs: { in_spikes: 'in.spikes' }, config: { units: [16], ...config }, outputs: { out: 'out_spikes' } },
    ],
  });
  const x = new Array(32).fill(signal);
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const s = brain.run({ x }).out as SpikeArray;
    out.push(Array.from(s.indices.subarray(0, s.count)).sort((a, b) => a - b));
  }
  return out;
}
const total = (r: number[][]) => r.reduce((a, s) => a + s.length, 0);

/** Drive strong enough to make each type fire (kernel weights in pA). */
const DRIVE: Record<string, Record<string, unknown>> = {
  lif_neuron: { synapses__kernel__scale: 300, synapses__kernel__density: 1 },
  alif_neuron: { synapses__kernel__scale: 300, synapses__kernel__density: 1 },
  ad_ex_neuron: { synapses__kernel__scale: 300, synapses__kernel__density: 1 },
};

for (const p of PREBUILT) {
  const skip = missing(p.synapses, p.soma, 'n2n_delays', 'hebbian_rule');

  test(`${p.type}: registered, wired like Spark's prebuilt neurons`, { skip }, () => {
    assert.ok(REGISTRY.neurons.has(p.type));
    const n = new (REGISTRY.getModule(p.type))({ units: [4] }) as Neuron;
    assert.deepEqual(
      n.modules.map((m) => [m.name, m.cls.type]),
      [
        ['delays', 'n2n_delays'],
        ['synapses', p.synapses],
        ['soma', p.soma],
        ['hebbian_rule', 'hebbian_rule'],
      ],
    );
    assert.deepEqual(Object.keys(n.inputDecls()), ['in_spikes']);
    assert.deepEqual(Object.keys(n.outputDecls()), ['out_spikes']);
  });

  test(`${p.type}: parameters overridable by nested keys`, { skip }, () => {
    const n = new (REGISTRY.getModule(p.type))({ units: [4], soma__potential_tau: 12.5, synapses__kernel__scale: 2, inhibitory_rate: 0.25 }) as Neuron;
    assert.equal(n.module('soma').config.values.potential_tau, 12.5);
    assert.equal((n.module('synapses').config.values.kernel as Config).values.scale, 2);
    assert.equal(n.inhibitionMask.data.reduce((a, b) => a + b, 0), 1);
    // Fresh defaults for every instance: the override did not leak.
    const d = new (REGISTRY.getModule(p.type))({ units: [4] }) as Neuron;
    assert.notEqual(d.module('soma').config.values.potential_tau, 12.5);
    assert.throws(
      () => new (REGISTRY.getModule(p.type))({ units: [4], soma__potential_taux: 1 }),
      (e: unknown) => e instanceof ConfigError && /potential_taux/.test(e.message) && /potential_tau/.test(e.message),
    );
  });

  test(`${p.type}: driven by Poisson spikes it fires; same seed → same spikes, other seed → different`, { skip }, () => {
    const a = raster(p.type, 1, DRIVE[p.type]);
    assert.ok(total(a) > 20, `${total(a)} spikes`);
    assert.deepEqual(raster(p.type, 1, DRIVE[p.type]), a);
    assert.notDeepEqual(raster(p.type, 2, DRIVE[p.type]), a);
    assert.equal(total(raster(p.type, 1, DRIVE[p.type], 0)), 0, 'silent without input');
  });
}

test('lif_neuron with default weights and Poisson input: small kernel (Spark calibration) rarely fires; scaled up it fires', () => {
  const weak = total(raster('lif_neuron', 3, {}));
  const strong = total(raster('lif_neuron', 3, { synapses__kernel__scale: 300, synapses__kernel__density: 1 }));
  assert.ok(strong > weak && strong > 100, `weak ${weak}, strong ${strong}`);
});
