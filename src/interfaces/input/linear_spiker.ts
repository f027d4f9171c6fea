/**
 * LinearSpiker: deterministic rate code. Each unit integrates the signal towards a threshold,
 * fires, resets and stays refractory for `cd` ms; the drive is scaled so a signal of 1 fires at
 * about max_freq. Spark: spark/nn/interfaces/input/linear.py.
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { ConfigError } from '../../core/errors.ts';
import type { Module } from '../../core/module.ts';
import { type Payload, type PortSpec, SpikeArray } from '../../core/payload.ts';
import { shapeSize } from '../../core/shape.ts';
import { toFloat16 } from './float16.ts';
import { InputInterface } from './input_interface.ts';
import { byteOffsets, HEAP_ALLOC, type WasmArena } from '../../wasm/arena.ts';

export const linearSpikerFields = {
  tau: field.float(100, 'Decay time constant of the integrating units (also their threshold).', {
    unit: 'ms',
    symbol: 'τ',
    validators: ['positive'],
  }),
  cd: field.float(2, 'Refractory period (cooldown) after a spike.', { unit: 'ms', symbol: 't_cd', validators: ['positive'] }),
  max_freq: field.float(100, 'Firing rate at signal = 1.', { unit: 'Hz', symbol: 'f_max', validators: ['positive'] }),
};

export const linearSpikerEquations = `T = 1000/f_max − t_cd   (ms to reach threshold at signal 1)
scale = 1/(exp(T/τ) − 1) + 1,   decay = exp(−dt/τ),   gain = 1 − decay
ready = (ref ≥ t_cd)
V ← decay·V + ready·τ·gain·scale·signal
spike if V > τ;   then V ← 0, ref ← 0;   otherwise ref ← ref + dt
(V∞ = τ·scale·signal, so at signal 1 the threshold τ is crossed after T ms.)`;

/**
 * Which Spark formula to reproduce under compat 'spark': LinearSpiker puts dt into the exponent
 * of `scale` and multiplies the drive by dt; the topological variant does neither. Both agree
 * at dt = 1; only the second keeps the firing rate independent of dt, so it is our default.
 */
export type LinearVariant = 'linear' | 'topological';

/** Integrate-to-threshold units with a refractory period, shared by the linear spikers. */
export class LinearUnits {
  readonly v: Float32Array;
  readonly ref: Float32Array;
  /** Drive per unit of signal: τ·gain·scale (·dt for Spark's LinearSpiker). */
  readonly k: number;
  readonly decay: number;
  readonly threshold: number;
  readonly cd: number;
  readonly dt: number;
  private readonly kernels: WasmArena | undefined;
  /** Kernel path: the drive's copy in the arena, and the kernel's spike list. */
  private driveW!: Float32Array;
  private spikesW!: Int32Array;
  private ptrs!: Int32Array;
  /** The drive array last copied to driveW. */
  private copied: Float32Array | undefined;

  /** `track` registers the state arrays with the owning module (for checkpoints). */
  constructor(module: Module, n: number, variant: LinearVariant, track: (name: string, arr: Float32Array) => Float32Array) {
    const tau = module.config.values.tau as number;
    const cd = module.config.values.cd as number;
    const f = module.config.values.max_freq as number;
    const dt = module.dt;
    const T = (1000 - cd * f) / f;
    if (!(T > 0)) {
      throw new ConfigError([
        {
          path: `${module.path ? `${module.path}.` : ''}max_freq`,
          message: `${f} Hz with a ${cd} ms cooldown leaves no time to integrate; max_freq must be below 1000/cd = ${1000 / cd} Hz`,
        },
      ]);
    }
    const spark = module.compat === 'spark';
    const sparkDt = spark && variant === 'linear' ? dt : 1;
    // Spark stores these constants in its dtype; in float16 that rounding shifts firing rates
    // by a few percent (signal 0.5: 50 instead of 52 spikes per second), so compat 'spark' keeps it.
    const round = spark && module.config.values.dtype === 'float16' ? toFloat16 : (x: number) => x;
    const scale = round(1 / (Math.exp((sparkDt / tau) * T) - 1) + 1);
    const decay = round(Math.exp(-dt / tau));
    const gain = round(1 - decay);
    this.k = sparkDt * tau * gain * scale;
    this.decay = decay;
    this.threshold = tau;
    this.cd = cd;
    this.dt = dt;
    // Under the event engine the step runs as a WebAssembly kernel on arrays in the brain's arena.
    this.kernels = module.engine === 'event' ? module.arena.get() : undefined;
    const a = this.kernels ?? HEAP_ALLOC;
    this.v = track('potential', a.f32(n));
    this.ref = track('refractory', a.f32(n));
    if (this.kernels) {
      this.driveW = this.kernels.f32(n);
      this.spikesW = this.kernels.i32(n);
      this.ptrs = byteOffsets([this.v, this.ref, this.driveW, this.spikesW]);
    }
  }

  /** True if the step runs as the arena's `linearUnits` kernel. */
  get usesKernel(): boolean {
    return this.kernels !== undefined;
  }

  /**
   * One step driven by `drive` (same length as the units); writes the spikes. `unchanged` says that
   * `drive` holds the same values as at the last step, so the kernel's copy of it is still current.
   */
  step(drive: Float32Array, spikes: SpikeArray, unchanged = false): void {
    const { v, ref, k, decay, threshold, cd, dt } = this;
    spikes.clear();
    if (this.kernels) {
      // The loop below as a kernel (same operations, same bits).
      const { driveW, spikesW, ptrs } = this;
      if (!unchanged || this.copied !== drive) {
        driveW.set(drive);
        this.copied = drive;
      }
      const ns = this.kernels.kernels.linearUnits(v.length, decay, k, threshold, cd, dt, ptrs[0], ptrs[1], ptrs[2], ptrs[3]);
      for (let c = 0; c < ns; c++) spikes.add(spikesW[c]);
      return;
    }
    for (let i = 0; i < v.length; i++) {
      const ready = ref[i] >= cd;
      const x = decay * v[i] + (ready ? k * drive[i] : 0);
      if (x > threshold) {
        spikes.add(i);
        v[i] = 0;
        ref[i] = 0;
      } else {
        v[i] = x;
        ref[i] += dt;
      }
    }
  }

  reset(): void {
    this.v.fill(0);
    // Ready from the first step.
    this.ref.fill(this.cd);
  }
}

export class LinearSpiker extends InputInterface {
  static readonly type: string = 'linear_spiker';
  static readonly schema: ConfigSchema = {
    type: 'linear_spiker_config',
    classRef: 'linear_spiker',
    fields: { ...moduleBaseFields, ...linearSpikerFields },
  };
  static readonly summary = 'Deterministic rate code: integrate-to-threshold units with a refractory period.';
  static readonly reference = 'Spark: spark/nn/interfaces/input/linear.py';
  static readonly equations = linearSpikerEquations;

  units!: LinearUnits;

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    const shape = inputSpecs.signal.shape;
    this.units = new LinearUnits(this, shapeSize(shape), 'linear', (k, a) => this.track(k, a));
    return { spikes: new SpikeArray(shape) };
  }

  protected override connect(): void {
    super.connect();
    this.spikes = this.out.spikes as SpikeArray;
  }

  step(): void {
    this.units.step(this.signal, this.spikes);
  }

  reset(): void {
    this.units?.reset();
    this.spikes?.clear();
  }
}
