import { WORLD_SWITCHES } from './worldSwitches.ts';
import type { SwitchValues } from './SwitchValues.ts';

/**
 * Hardening switches (runtime and scenario) and their default values: off by default, so shown only when switched on,
 * and a description of a configuration from before them reads as it did.
 */
const HARDENING_DEFAULTS: Readonly<Record<string, string>> = {
  'claim-retry': 'none',
  'done-retry': 'none',
  'stop-done': 'send',
  'stream-reconnect': 'backoff',
  'stream-reset': 'any-state',
  'lease-renewal': 'none',
  'read-watchdog': 'none',
  'failed-wake': 'ack',
  'claim-guard': 'none',
  'request-timeout': 'none',
  'next-wake': 'ignore',
  'wake-batch': 'all',
  'claim-deferral': 'fifo',
  'post-key': 'none',
};

/** Sizes of a scenario's world at their default (one digest entity, no children): shown only when changed. */
const SIZE_DEFAULTS: Readonly<Record<string, string>> = { entities: '1', children: '0' };

/**
 * Switches shown only when they differ from their default: they tune how a run is carried out, not what it tests, or
 * they are hardening switches left off, or sizes of the world left as they were.
 */
const SHOWN_WHEN_CHANGED = new Set(['streams', 'transport', ...WORLD_SWITCHES.map((definition) => definition.name), ...Object.keys(HARDENING_DEFAULTS), ...Object.keys(SIZE_DEFAULTS)]);
/** The resume offsets an `offset` value implies: saying them again says nothing new (`claimed-seek` is never implied). */
const IMPLIED_RESUME_OFFSETS = new Set(['none', 'reported', 'acked-seek']);
const DEFAULTS: Readonly<Record<string, string>> = {
  streams: 'fast',
  transport: 'direct',
  ...Object.fromEntries(WORLD_SWITCHES.map((definition) => [definition.name, definition.defaultValue])),
  ...HARDENING_DEFAULTS,
  ...SIZE_DEFAULTS,
};

/**
 * `wiring=swallow offset=minus-one idempotency=raw-collection`: a run's switch values in their order, leaving out the
 * tier, transport and world switches while they have their default value (and world switches a chosen switch
 * implied, which say nothing new).
 */
export function describeConfig(values: SwitchValues): string {
  return Object.entries(values)
    .filter(([name, value]) => !SHOWN_WHEN_CHANGED.has(name) || (name === 'resume-offset' ? !IMPLIED_RESUME_OFFSETS.has(value) : value !== DEFAULTS[name]))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}
