/**
 * The host a run or benchmark ran on. The project's machine has a fixed size (2 cores) but not a
 * fixed processor: on the same command the step rate changed 2× between days, so benchmark logs
 * and run.json record the processor's family/model and cache sizes, not only its marketing name.
 */
import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  /** `family/model/stepping` from /proc/cpuinfo (x86 Linux), else null. */
  cpuId: string | null;
  /** Per-core L2 and shared L3 sizes from sysfs (Linux), e.g. "2048K", else null. */
  l2: string | null;
  l3: string | null;
  memGiB: number;
  platform: string;
  release: string;
  arch: string;
  node: string;
}

function readOr(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null; // not Linux, or no such file (cache level)
  }
}

function cacheSize(level: number): string | null {
  for (let i = 0; i < 8; i++) {
    const dir = `/sys/devices/system/cpu/cpu0/cache/index${i}`;
    const lvl = readOr(`${dir}/level`);
    if (lvl === null) break;
    if (Number(lvl) === level && readOr(`${dir}/type`) !== 'Instruction') return readOr(`${dir}/size`);
  }
  return null;
}

function cpuId(): string | null {
  const info = readOr('/proc/cpuinfo');
  if (info === null) return null;
  const field = (name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(info)?.[1];
  const [f, m, s] = [field('cpu family'), field('model'), field('stepping')];
  return f && m && s ? `${f}/${m}/${s}` : null;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cpu: c[0]?.model ?? 'unknown CPU',
    cores: c.length,
    cpuId: cpuId(),
    l2: cacheSize(2),
    l3: cacheSize(3),
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: platform(),
    release: release(),
    arch: arch(),
    node: process.version,
  };
}

/** One line for benchmark logs: `Intel(R) Xeon(R) Processor (6/143/8) x 2, L2 2048K/core, L3 …`. */
export function machineLine(m: MachineInfo = machineInfo()): string {
  const id = m.cpuId ? ` (${m.cpuId})` : '';
  const caches = [m.l2 && `L2 ${m.l2}/core`, m.l3 && `L3 ${m.l3}`].filter(Boolean).join(', ');
  return `${m.cpu}${id} x ${m.cores}${caches ? `, ${caches}` : ''}, ${m.memGiB} GiB, ${m.platform} ${m.release}, node ${m.node}`;
}
