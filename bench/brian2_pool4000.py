"""
Brian2 peer for bench/step_rate.ts case 2: a 4,000-unit LIF pool (half inhibitory) with 2 %
recurrent connectivity, driven by 400 Poisson inputs at 50 Hz, dt = 1 ms, the same parameters as
spark-snn's leaky_soma + linear_synapses: V relative to rest, tau 20 ms, R 0.1 GOhm, threshold
20 mV above rest, reset to 10 mV above rest; a spike of weight w (pA) adds (1 - e^(-dt/tau)) R w
to V in the step it arrives (no delay); weights U(0, 600) pA with density 0.02; inhibitory
units' spikes count -w.

Run with Debian's python (apt-get install python3-brian):
    /usr/bin/python3 bench/brian2_pool4000.py [--steps 10000] [--target numpy|cython|cpp_standalone]
Prints steps/s and the mean rate, for a ratio against `node --import tsx bench/step_rate.ts`.
"""
import argparse
import time

import numpy as np
from brian2 import (NeuronGroup, PoissonGroup, Synapses, SpikeMonitor, Network, defaultclock, ms, Hz,
                    prefs, set_device, device)

p = argparse.ArgumentParser()
p.add_argument('--steps', type=int, default=10000)
p.add_argument('--target', default='numpy', choices=['numpy', 'cython', 'cpp_standalone'])
a = p.parse_args()
if a.target == 'cpp_standalone':
    set_device('cpp_standalone', build_on_run=False)
else:
    prefs.codegen.target = a.target

defaultclock.dt = 1 * ms
N, N_IN, DENSITY, SCALE, TAU, R = 4000, 400, 0.02, 600.0, 20.0, 0.1
gain = (1 - np.exp(-1.0 / TAU)) * R  # mV per pA, for one step
rng = np.random.default_rng(1)

pool = NeuronGroup(N, 'dv/dt = -v / (20*ms) : 1', threshold='v > 20', reset='v = 10', method='exact')
inputs = PoissonGroup(N_IN, rates=50 * Hz)
sign = np.ones(N)
sign[rng.choice(N, N // 2, replace=False)] = -1

def connect(source, n_src, signs):
    syn = Synapses(source, pool, 'w : 1', on_pre='v_post += w')
    mask = rng.random((n_src, N)) < DENSITY
    i, j = np.nonzero(mask)
    syn.connect(i=i, j=j)
    syn.w = gain * SCALE * rng.random(len(i)) * signs[i]
    return syn

s_in = connect(inputs, N_IN, np.ones(N_IN))
s_rec = connect(pool, N, sign)
mon = SpikeMonitor(pool)
net = Network(pool, inputs, s_in, s_rec, mon)
t0 = time.perf_counter()
net.run(a.steps * ms)
if a.target == 'cpp_standalone':
    device.build(directory='/tmp/brian2_pool4000', compile=True, run=True)
dt_s = time.perf_counter() - t0
print(f'brian2 {a.target}: {a.steps / dt_s:.0f} steps/s ({a.steps} steps, {dt_s:.2f} s incl. codegen); '
      f'rate {mon.num_spikes / N / (a.steps / 1000):.1f} Hz')
