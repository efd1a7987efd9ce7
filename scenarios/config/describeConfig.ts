import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import { registeredScenarios } from '../index.ts';
import { registeredRuntimes } from '../registry/runtimes.ts';
import { WORLD_SWITCHES } from './worldSwitches.ts';
import type { SwitchValues } from './SwitchValues.ts';

/**
 * Hardening switches (runtime and scenario) that came before `recordedAtDefault`: off by default, so shown only when
 * switched on, and a description of a configuration from before them reads as it did. Their defaults are the ones
 * their definitions declare.
 */
const HARDENING_SWITCHES: readonly string[] = [
  'claim-retry',
  'done-retry',
  'stop-done',
  'stream-reconnect',
  'lease-renewal',
  'read-watchdog',
  'failed-wake',
  'claim-guard',
  'request-timeout',
  'post-key',
];

/** Switches of how a run is carried out (tier, transport), not of what it tests. */
const CARRIAGE_SWITCHES: readonly string[] = ['streams', 'transport'];

/** The resume offsets an `offset` value implies: saying them again says nothing new (`claimed-seek` is never implied). */
const IMPLIED_RESUME_OFFSETS = new Set(['none', 'reported', 'acked-seek']);

/**
 * Every switch shown only when it differs from its default, with that default: the carriage switches, the world's,
 * the hardening switches above, and every switch declared `recordedAtDefault: false` (a switch added later says nothing
 * at its default). Read from the registered runtimes and scenarios, so that the defaults are written once, in the
 * definitions. A name two owners declare with different defaults is always shown: "at its default" would be ambiguous.
 */
function defaultsShownWhenChanged(): ReadonlyMap<string, string> {
  const definitions: SwitchDefinition[] = [...WORLD_SWITCHES, ...registeredRuntimes().flatMap((runtime) => runtime.switches), ...registeredScenarios().flatMap((scenario) => scenario.switches ?? [])];
  const named = new Set([...CARRIAGE_SWITCHES, ...HARDENING_SWITCHES, ...WORLD_SWITCHES.map((definition) => definition.name)]);
  const defaults = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const definition of definitions) {
    if (!named.has(definition.name) && definition.recordedAtDefault !== false) continue;
    const known = defaults.get(definition.name);
    if (known !== undefined && known !== definition.defaultValue) ambiguous.add(definition.name);
    defaults.set(definition.name, definition.defaultValue);
  }
  for (const name of ambiguous) defaults.delete(name);
  return defaults;
}

/**
 * `wiring=swallow offset=minus-one idempotency=raw-collection`: a run's switch values in their order, leaving out the
 * tier, transport, world, hardening and later-added switches while they have their default value (and world switches
 * a chosen switch implied, which say nothing new).
 */
export function describeConfig(values: SwitchValues): string {
  const defaults = defaultsShownWhenChanged();
  return Object.entries(values)
    .filter(([name, value]) => !defaults.has(name) || (name === 'resume-offset' ? !IMPLIED_RESUME_OFFSETS.has(value) : value !== defaults.get(name)))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}
