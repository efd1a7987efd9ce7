import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import type { SwitchValues } from './SwitchValues.ts';

/**
 * The configuration a run's `run-start` event records: every switch value, in the spec's order, but for switches
 * declared `recordedAtDefault: false` that have their default value. Such a switch was added after runs were recorded
 * by their trace hash; leaving it out at its default keeps those hashes, and a run that turns it on records it.
 */
export function recordedConfig(switches: readonly SwitchDefinition[], config: SwitchValues): SwitchValues {
  const silentAtDefault = new Map(switches.filter((definition) => definition.recordedAtDefault === false).map((definition) => [definition.name, definition.defaultValue]));
  if (silentAtDefault.size === 0) return config;
  return Object.fromEntries(Object.entries(config).filter(([name, value]) => silentAtDefault.get(name) !== value));
}
