/**
 * The host description in benchmark logs and run.json: its one-line form, and what it reads off a
 * Linux host (the processor id and cache sizes that tell two hosts of the same name apart).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { machineInfo, machineLine, type MachineInfo } from '../../src/cli/machine.ts';

const host: MachineInfo = {
  cpu: 'Intel(R) Xeon(R) Processor', cores: 2, cpuId: '6/143/8', l2: '2048K', l3: '491520K',
  memGiB: 23.5, platform: 'linux', release: '6.1.0', arch: 'x64', node: 'v20.20.2',
};

test('machineLine names the processor id and caches, and leaves out what is unknown', () => {
  assert.equal(machineLine(host), 'Intel(R) Xeon(R) Processor (6/143/8) x 2, L2 2048K/core, L3 491520K, 23.5 GiB, linux 6.1.0, node v20.20.2');
  assert.equal(
    machineLine({ ...host, cpuId: null, l2: null, l3: null, platform: 'darwin', release: '23.0.0' }),
    'Intel(R) Xeon(R) Processor x 2, 23.5 GiB, darwin 23.0.0, node v20.20.2',
  );
});

test('machineInfo reads this host: cores from the OS, caches from sysfs on Linux', () => {
  const m = machineInfo();
  assert.equal(m.cores, cpus().length);
  assert.equal(m.node, process.version);
  if (existsSync('/sys/devices/system/cpu/cpu0/cache/index0/size')) {
    assert.match(m.l2 ?? '', /^\d+[KM]$/);
  }
});
