import { cpus, platform, release } from 'node:os';
import type { MachineInfo } from './results.js';

export function machineInfo(now = new Date()): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    os: `${platform()} ${release()}`,
    date: now.toISOString(),
  };
}
