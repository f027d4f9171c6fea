#!/usr/bin/python3
"""Generate Brian2 single-neuron reference traces for spark-snn's fidelity tests.

Reproduces the procedure of ../shared/fidelity/README.md (itself the Spark paper's benchmark,
Spark repository benchmarks/run_fidelity.py + _brian2.py at commit 6279d7d): one LIF neuron
(method 'exact', 2 ms refractory) and one AdEx neuron (method 'rk2', no refractory), each driven
for 1000 ms at dt = 0.1 ms by an Ornstein-Uhlenbeck current drawn from numpy's legacy generator
seeded with S (tau 10 ms, sigma 2, mu 1); LIF gets 1.0 x OU nA, AdEx 0.02 x OU nA (one draw per
seed, shared by both models). Brian2 runs with its numpy runtime, which gives the same spike
trains and voltages as the C++ standalone device used for the shared seeds 0-2.

Outputs, per model in {lif, adex} and seed S, into OUT_DIR:
  {model}_seed{S}_trace.csv.gz  t_ms, I_nA, v_mV [, w_pA]; row k = state at t_k = k*dt, recorded
                                before step k's update (Brian2's StateMonitor); I_nA is Python repr
                                (full double precision), v and w %.10g.
  {model}_seed{S}_spikes.csv    header spike_time_ms; Brian2 spike times (start of the step).

Only for generating reference data; the tests read the CSVs and never need Python.
Needs Debian's Brian2 (apt-get install python3-brian) and Debian's interpreter:

  /usr/bin/python3 scripts/brian2_fidelity.py --seeds 3 4 --out test/fixtures/fidelity
  # check the generator against the shared seeds first:
  /usr/bin/python3 scripts/brian2_fidelity.py --seeds 0 1 2 --out /tmp/fid --compare ../shared/fidelity
"""

import argparse
import csv
import gzip
import os
import sys
import warnings

warnings.filterwarnings('ignore', category=FutureWarning, module='pythran')  # noise from Debian's pythran

import numpy as np
import brian2 as b2

DT = 0.1  # ms
T = 1000.0  # ms


def ou_current(time, dt, tau, sigma, mu):
    """Spark's benchmark OU process; consumes np.random (legacy global generator) in order."""
    steps = int(time / dt)
    alpha = np.exp(-dt / tau)
    noise_scale = sigma * np.sqrt(1 - alpha**2)
    current = np.empty(steps)
    current[0] = mu
    for k in range(1, steps):
        current[k] = alpha * current[k - 1] + noise_scale * np.random.randn() + (1 - alpha) * mu
    return current


def simulate_lif(currents):
    b2.start_scope()
    b2.defaultclock.dt = DT * b2.ms
    input_current = b2.TimedArray(currents * b2.nA, dt=DT * b2.ms)
    v_rest = -70 * b2.mV
    v_reset = -65 * b2.mV
    firing_threshold = -50 * b2.mV
    membrane_resistance = 10 * b2.Mohm
    membrane_time_scale = 8 * b2.ms
    eqs = """
        dv/dt = (-(v - v_rest) + membrane_resistance * input_current(t)) / membrane_time_scale : volt (unless refractory)
    """
    neuron = b2.NeuronGroup(1, model=eqs, reset='v=v_reset', threshold='v>firing_threshold',
                            refractory=2 * b2.ms, method='exact')
    neuron.v = v_rest
    state = b2.StateMonitor(neuron, 'v', record=True)
    spikes = b2.SpikeMonitor(neuron)
    b2.run(len(currents) * DT * b2.ms)
    return np.asarray(state.v[0] / b2.mV), None, np.asarray(spikes.t / b2.ms)


def simulate_adex(currents):
    b2.start_scope()
    b2.defaultclock.dt = DT * b2.ms
    input_current = b2.TimedArray(currents * b2.nA, dt=DT * b2.ms)
    tau_m = 5 * b2.ms
    R = 500 * b2.Mohm
    v_rest = -70 * b2.mV
    v_reset = -51 * b2.mV
    v_rheobase = -50 * b2.mV
    a = 0.5 * b2.nS
    b = 7 * b2.pA
    firing_threshold = -30 * b2.mV
    delta_T = 2 * b2.mV
    tau_w = 100 * b2.ms
    eqs = """
        dv/dt = (-(v-v_rest) +delta_T*exp((v-v_rheobase)/delta_T)+ R * input_current(t) - R * w)/(tau_m) : volt
        dw/dt = (a*(v-v_rest)-w)/tau_w : amp
    """
    neuron = b2.NeuronGroup(1, model=eqs, reset='v=v_reset;w+=b', threshold='v>firing_threshold',
                            method='rk2')
    neuron.v = v_rest
    neuron.w = 0.0 * b2.pA
    state = b2.StateMonitor(neuron, ['v', 'w'], record=True)
    spikes = b2.SpikeMonitor(neuron)
    b2.run(len(currents) * DT * b2.ms)
    return np.asarray(state.v[0] / b2.mV), np.asarray(state.w[0] / b2.pA), np.asarray(spikes.t / b2.ms)


def write_model(out_dir, model, seed, currents, v, w, spike_times):
    trace_path = os.path.join(out_dir, f'{model}_seed{seed}_trace.csv.gz')
    # mtime=0 keeps the gzip bytes reproducible.
    with open(trace_path, 'wb') as raw, gzip.GzipFile(fileobj=raw, mode='wb', mtime=0) as gz:
        header = 't_ms,I_nA,v_mV' + (',w_pA' if w is not None else '')
        lines = [header]
        for k in range(len(currents)):
            row = f'{k * DT:.1f},{repr(float(currents[k]))},{v[k]:.10g}'
            if w is not None:
                row += f',{w[k]:.10g}'
            lines.append(row)
        gz.write(('\n'.join(lines) + '\n').encode())
    with open(os.path.join(out_dir, f'{model}_seed{seed}_spikes.csv'), 'w') as f:
        f.write('spike_time_ms\n')
        for t in spike_times:
            f.write(f'{t:.1f}\n')


def generate(seed, out_dir):
    np.random.seed(seed)
    ou = ou_current(T, DT, 10, 2, 1)
    counts = {}
    for model, scale, simulate in (('lif', 1.0, simulate_lif), ('adex', 0.02, simulate_adex)):
        currents = scale * ou
        v, w, spike_times = simulate(currents)
        assert len(v) == len(currents) == int(T / DT)
        write_model(out_dir, model, seed, currents, v, w, spike_times)
        counts[model] = len(spike_times)
    return counts


def read_csv(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt') as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def compare(seed, out_dir, ref_dir):
    """True if spikes are identical, I_nA identical as text and v, w within 1e-9 (relative) of REF_DIR."""
    ok = True
    for model in ('lif', 'adex'):
        _, ours = read_csv(os.path.join(out_dir, f'{model}_seed{seed}_spikes.csv'))
        _, theirs = read_csv(os.path.join(ref_dir, f'{model}_seed{seed}_spikes.csv'))
        same_spikes = [float(r[0]) for r in ours] == [float(r[0]) for r in theirs]
        h1, ours = read_csv(os.path.join(out_dir, f'{model}_seed{seed}_trace.csv.gz'))
        h2, theirs = read_csv(os.path.join(ref_dir, f'{model}_seed{seed}_trace.csv.gz'))
        same_shape = h1 == h2 and len(ours) == len(theirs)
        same_t = same_shape and all(float(a[0]) == float(b[0]) for a, b in zip(ours, theirs))
        same_i = same_shape and all(a[1] == b[1] for a, b in zip(ours, theirs))
        # Relative: v and w are stored with 10 significant digits.
        max_dev = max(abs(float(a[j]) - float(b[j])) / max(1.0, abs(float(b[j])))
                      for a, b in zip(ours, theirs) for j in range(2, len(h1)))
        identical_text = ours == theirs
        good = same_spikes and same_t and same_i and max_dev <= 1e-9
        print(f'seed {seed} {model}: spikes {"identical" if same_spikes else "DIFFER"}, '
              f'I_nA {"identical" if same_i else "DIFFER"}, max relative |dv|,|dw| {max_dev:.3g}, '
              f'trace text {"identical" if identical_text else "differs"}')
        ok = ok and good
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--seeds', type=int, nargs='+', required=True)
    parser.add_argument('--out', required=True, help='output directory')
    parser.add_argument('--compare', metavar='REF_DIR', help='compare the output with reference files in REF_DIR')
    args = parser.parse_args()
    b2.prefs.codegen.target = 'numpy'
    b2.BrianLogger.suppress_hierarchy('brian2.codegen')
    os.makedirs(args.out, exist_ok=True)
    ok = True
    for seed in args.seeds:
        counts = generate(seed, args.out)
        print(f'seed {seed}: LIF {counts["lif"]} spikes, AdEx {counts["adex"]} spikes')
        if args.compare:
            ok = compare(seed, args.out, args.compare) and ok
    if args.compare:
        print('MATCH' if ok else 'MISMATCH')
        sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
