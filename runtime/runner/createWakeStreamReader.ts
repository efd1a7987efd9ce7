import type { RuntimeConfig } from '../config.ts';
import type { RuntimeEnvironment } from '../ports.ts';
import { ClientWakeStreamReader } from './ClientWakeStreamReader.ts';
import { PortWakeStreamReader } from './PortWakeStreamReader.ts';
import type { WakeStreamReader } from './WakeStreamReader.ts';

/** The wake stream reader of the configured tier: the real client with `streams=real`, the world's port otherwise. */
export function createWakeStreamReader(env: RuntimeEnvironment, config: RuntimeConfig): WakeStreamReader {
  return config.streams === 'real' ? new ClientWakeStreamReader(env.http) : new PortWakeStreamReader(env.streams);
}
