/**
 * The switches of the runtime under test (semantics.md §4): the defective behaviour of 0.4.x and each proposed fix,
 * selectable by name.
 */

/** Defect B: what `ctx.observe(db(...))` does when wiring a shared-state DB fails. */
export const WIRING_MODES = ['swallow', 'reject', 'retry', 'empty', 'retry-same-db'] as const;
/** Defect A: where a new runner starts reading its wake stream. */
export const OFFSET_MODES = ['minus-one', 'durable', 'durable-raw', 'tail', 'server-seek'] as const;
/**
 * Which implementation of the Durable Streams libraries the runtime uses: `fast`, the in-process stand-ins; `real`,
 * `@durable-streams/state` StreamDBs over `@durable-streams/client`, talking HTTP to the simulated service.
 */
export const STREAMS_TIERS = ['fast', 'real'] as const;
/** How the digest entity decides whether an occurrence was already posted. */
export const IDEMPOTENCY_CHECKS = ['raw-collection', 'public-read', 'wired-gate'] as const;

export type WiringMode = (typeof WIRING_MODES)[number];
export type OffsetMode = (typeof OFFSET_MODES)[number];
export type IdempotencyCheck = (typeof IDEMPOTENCY_CHECKS)[number];
export type StreamsTier = (typeof STREAMS_TIERS)[number];

/** One value of every switch. */
export interface RuntimeConfig {
  readonly wiring: WiringMode;
  readonly offset: OffsetMode;
  readonly idempotency: IdempotencyCheck;
  /** The library tier; `fast` when absent (and then left out of tokens and traces, which keeps them as they were). */
  readonly streams?: StreamsTier;
}

/** Named combinations. `v0.4` is the configuration that shipped (the one in the bug report). */
export const CONFIG_PRESETS = {
  'v0.4': { wiring: 'swallow', offset: 'minus-one', idempotency: 'raw-collection' },
} as const satisfies Record<string, RuntimeConfig>;

export type ConfigPresetName = keyof typeof CONFIG_PRESETS;

/** The switch names with their allowed values, for validation and help text. */
export const SWITCH_VALUES = {
  wiring: WIRING_MODES,
  offset: OFFSET_MODES,
  idempotency: IDEMPOTENCY_CHECKS,
  streams: STREAMS_TIERS,
} as const;

export type SwitchName = keyof typeof SWITCH_VALUES;

/** Thrown for a switch value or preset that does not exist; the message is a complete one-line explanation. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Builds a configuration from a preset and per-switch overrides, rejecting unknown names with a message that lists
 * the allowed values.
 */
export function resolveConfig(presetName: string, overrides: Partial<Record<SwitchName, string>>): RuntimeConfig {
  if (!Object.hasOwn(CONFIG_PRESETS, presetName)) {
    throw new ConfigError(`unknown config "${presetName}" (known: ${Object.keys(CONFIG_PRESETS).join(', ')})`);
  }
  const base: RuntimeConfig = CONFIG_PRESETS[presetName as ConfigPresetName];
  const result: Partial<Record<SwitchName, string>> = { ...base };
  for (const name of Object.keys(SWITCH_VALUES) as SwitchName[]) {
    const value = overrides[name];
    if (value === undefined) continue;
    const allowed: readonly string[] = SWITCH_VALUES[name];
    if (!allowed.includes(value)) {
      throw new ConfigError(`unknown value "${value}" for --${name} (allowed: ${allowed.join(', ')})`);
    }
    result[name] = value;
  }
  // `streams=fast` is the default: stored only when it says something.
  if (result.streams === 'fast') delete result.streams;
  return result as unknown as RuntimeConfig;
}

/** `wiring=swallow offset=minus-one idempotency=raw-collection`: the switches in a stable order, for output. */
export function describeConfig(config: RuntimeConfig): string {
  const tier = config.streams === 'real' ? ' streams=real' : '';
  return `wiring=${config.wiring} offset=${config.offset} idempotency=${config.idempotency}${tier}`;
}
