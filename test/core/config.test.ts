import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Brain, Config, ConfigError, LeakySoma, LIFNeuron, type PotentialArray, REGISTRY } from '../../src/index.ts';

test('plain, nested and shared keys override defaults', () => {
  const c = new Config(LIFNeuron.schema, {
    units: 8,
    soma__potential_tau: 15,
    synapses__kernel__scale: 3,
    _s_dt: 0.5,
  });
  const soma = c.specs().find((s) => s.name === 'soma')!.config;
  assert.equal(soma.get('potential_tau'), 15);
  assert.deepEqual(c.get('units'), [8], 'an int shape becomes a 1-tuple');
  const kernel = c.specs().find((s) => s.name === 'synapses')!.config.get<Config>('kernel');
  assert.equal(kernel.get('scale'), 3);
  // _s_dt reaches the controller and every module config below it.
  assert.equal(c.get('dt'), 0.5);
  for (const s of c.specs()) assert.equal(s.config.get('dt'), 0.5, s.name);
});

test('an explicit key wins over a shared key given with it', () => {
  const c = new Config(LIFNeuron.schema, { units: 4, _s_dt: 0.5, soma__dt: 0.25 });
  assert.equal(c.specs().find((s) => s.name === 'soma')!.config.get('dt'), 0.25);
});

test('an unknown key is an error with a did-you-mean', () => {
  assert.throws(
    () => new LeakySoma({ potential_ta: 5 }),
    (e: unknown) => e instanceof ConfigError && /unknown key 'potential_ta'.*Did you mean 'potential_tau'\?/.test(e.message),
  );
  assert.throws(
    () => new Config(LIFNeuron.schema, { units: 4, somaa__threshold: 1 }),
    (e: unknown) => e instanceof ConfigError && /Did you mean 'soma'\?/.test(e.message),
  );
});

test('an out-of-range value names the full config path', () => {
  const build = () =>
    new Brain({
      modules_specs: [
        {
          name: 'A',
          module: 'lif_neuron',
          inputs: { in_spikes: '__call__.x' },
          config: { units: [4], soma__potential_tau: -5 },
        },
      ],
    });
  assert.throws(build, (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.message, 'modules_specs[A].config.soma.potential_tau: must be > 0, got -5');
    return true;
  });
});

test('validators: zero_one, type errors and required fields', () => {
  assert.throws(() => new LIFNeuron({ units: [4], inhibitory_rate: 1.5 }), /inhibitory_rate: must be in \[0, 1\], got 1.5/);
  assert.throws(() => new LeakySoma({ threshold: 'high' }), /threshold: must be a number/);
  assert.throws(() => new LIFNeuron({}), /units: is required/);
});

test('fields take a scalar, a per-unit array or an initializer', () => {
  const perUnit = new LeakySoma({ potential_tau: [10, 20, 40] });
  perUnit.call({ current: [1000, 1000, 1000] });
  const v = (perUnit.getProperty('potential') as PotentialArray).data;
  // V after one step = (1 − e^{−1/τ})·R·I for each unit's own τ.
  for (const [i, tau] of [10, 20, 40].entries()) assert.ok(Math.abs(v[i] - (1 - Math.exp(-1 / tau)) * 100) < 1e-4);
  const drawn = new LeakySoma({ seed: 3, potential_tau: { type: 'uniform_initializer', scale: 10, min_value: 5 } });
  drawn.call({ current: new Float32Array(100) });
  assert.throws(() => new LeakySoma({ potential_tau: [1, 2] }).call({ current: [1, 2, 3] }), /has 2 values but 3 are needed/);
});

test('withNewSeeds reseeds every module deterministically', () => {
  const c = new Config(LIFNeuron.schema, { units: 4 });
  const a = c.withNewSeeds(7);
  const b = c.withNewSeeds(7);
  const other = c.withNewSeeds(8);
  const seeds = (x: Config) => [x.get('seed'), ...x.specs().map((s) => s.config.get('seed'))];
  assert.deepEqual(seeds(a), seeds(b));
  assert.notDeepEqual(seeds(a), seeds(other));
  assert.equal(new Set(seeds(a)).size, 5, 'each module gets its own seed');
  assert.equal(c.get('seed'), null, 'the original is untouched');
});

test('registry names follow Spark and unknown names list close matches', () => {
  for (const name of ['leaky_soma', 'linear_synapses', 'n2n_delays', 'hebbian_rule', 'poisson_spiker', 'exponential_integrator', 'lif_neuron', 'brain', 'neuron']) {
    assert.ok(REGISTRY.has(name), name);
  }
  assert.throws(() => REGISTRY.getModule('leaky_somma'), /no module named 'leaky_somma'.*Close matches: leaky_soma/);
});

test("an initializer field takes { type } or Spark's { __type__ }, replacing the default initializer", () => {
  for (const key of ['type', '__type__']) {
    const c = new Config(LIFNeuron.schema, { units: 4, synapses__kernel: { [key]: 'uniform_initializer', scale: 2 } });
    const kernel = c.specs().find((s) => s.name === 'synapses')!.config.get<Config>('kernel');
    assert.equal(kernel.type, 'uniform_initializer_config', key);
    assert.equal(kernel.get('scale'), 2);
    assert.equal('density' in kernel.values, false);
  }
});
