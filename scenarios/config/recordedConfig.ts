import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import type { SwitchValues } from './SwitchValues.ts';

/**
 * A run's switch values as its `run-start` record carries them (and the trace hash covers them): all of them, in
 * their order, but for a switch declared `recordedAtDefault: false` while it has its default value. A switch added
 * that way leaves the hash of every run from before it unchanged; a run that sets it to another value records it.
 */
export function recordedConfig(values: SwitchValues, switches: readonly SwitchDefinition[]): SwitchValues {
  const unrecorded = new Set(switches.filter((definition) => definition.recordedAtDefault === false && values[definition.name] === definition.defaultValue).map((definition) => definition.name));
  if (unrecorded.size === 0) return values;
  return Object.fromEntries(Object.entries(values).filter(([name]) => !unrecorded.has(name)));
}
