import { WORLD_SWITCHES } from './worldSwitches.ts';
import type { SwitchValues } from './SwitchValues.ts';

/** Switches shown only when they differ from their default: they tune how a run is carried out, not what it tests. */
const SHOWN_WHEN_CHANGED = new Set(['streams', 'transport', ...WORLD_SWITCHES.map((definition) => definition.name)]);
const DEFAULTS: Readonly<Record<string, string>> = { streams: 'fast', transport: 'direct', ...Object.fromEntries(WORLD_SWITCHES.map((definition) => [definition.name, definition.defaultValue])) };

/**
 * `wiring=swallow offset=minus-one idempotency=raw-collection`: a run's switch values in their order, leaving out the
 * tier, transport and world switches while they have their default value (and world switches a chosen switch
 * implied, which say nothing new).
 */
export function describeConfig(values: SwitchValues): string {
  return Object.entries(values)
    .filter(([name, value]) => !SHOWN_WHEN_CHANGED.has(name) || (name !== 'resume-offset' && value !== DEFAULTS[name]))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}
