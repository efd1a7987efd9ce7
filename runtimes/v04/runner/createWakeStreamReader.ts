import type { V04Environment } from '../V04Environment.ts';
import { ClientWakeStreamReader } from './ClientWakeStreamReader.ts';
import { HttpWakeStreamReader } from './HttpWakeStreamReader.ts';
import type { WakeStreamReader } from './WakeStreamReader.ts';

/** The wake stream reader of the tier the `streams` switch selects. */
export function createWakeStreamReader(env: V04Environment): WakeStreamReader {
  return env.config.streams === 'real' ? new ClientWakeStreamReader(env.host.urls.durableStreams, env.host.fetch) : new HttpWakeStreamReader(env.streams);
}
