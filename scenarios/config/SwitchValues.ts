import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';

/** A run's switch values by switch name: every switch of its runtime, its world and its scenario has one. */
export type SwitchValues = Readonly<Record<string, string>>;

/** Thrown for a switch value, switch or preset that does not exist; the message is a complete one-line explanation. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The `hardened` preset: a switch for each finding `both-fixes` shows under `--faults all`, with why. */
const HARDENED: SwitchValues = {
  wiring: 'retry',
  // A crash loses what the runner had not reported yet; the server knows which wakes were claimed.
  offset: 'server-seek',
  'resume-offset': 'claimed-seek',
  'claim-retry': 'backoff',
  // A wake whose wiring retries through a long outage outlives its lease; renewing keeps a second wake out.
  'lease-renewal': 'renew',
  // A renewal that never gets through (an outage, a hung request) tells the wake nothing, while its lease runs out on
  // time: the wake gives its claim up before the service can hand the entity's next wake out.
  'lease-fence': 'deadline',
  // A renewal on a connection that hangs held up the renewals after it for as long as a lease lasts: a running wake
  // lost its lease to one hung request. Given up when the next was due (`interval`), two in a row still cost the lease
  // (guided search); given up after 2 s, each is tried again within seconds.
  'renewal-timeout': 'short',
  // A renewal dropped by a network outage was tried again only a third of a lease later: an outage that ended just
  // after one left the lease to run out unrenewed while the handler still ran. It is tried again within seconds.
  'renewal-retry': 'backoff',
  // A service restart loses the running wake's lease and re-issues it; claiming that at once starts a second wake.
  'claim-guard': 'defer',
  // A request on a connection that hangs never settles: a preload waiting on one keeps its wake (and claim) forever.
  'request-timeout': 'abort',
  // A wake-stream connect that hangs leaves the runner deaf; a read unanswered for 30 s is abandoned and retried.
  'read-watchdog': 'reset',
  // A wake that fails after reading a message (a lost chat answer) would ack it unhandled; redelivery retries it.
  'failed-wake': 'redeliver',
  'claim-reaper': 'sweep',
  // A network outage longer than a lease's last two thirds cut every renewal of a wake whose handler was stalled in a
  // slow call: the lease ran out and the entity's next wake was granted beside the handler. No renewal schedule can
  // outlast the outage; the handler, told of the lost claim, ends its slow call before the lease ends.
  'handler-signal': 'lease',
  'slow-call': 'abortable',
  // A restart of either server forgot the lease or the write token of a wake whose handler was still running (a
  // stall): the service handed the entity's next wake out beside it. No runtime can close that; the servers can.
  'lease-store': 'durable',
  'write-tokens': 'database',
  'post-key': 'action',
  'chat-idempotency': 'honor',
  // Faults that keep a day's wakes failing until the next day is due made the report's entity, which posts only the
  // newest due day, skip the older one (docs/history.md F1): this entity posts every due day it has not posted.
  'catch-up': 'every-due',
};

/**
 * Named sets of switch values. `v0.4` is the configuration that shipped (every default); `both-fixes` fixes the two
 * defects of bug report #4625; `hardened` also closes what `both-fixes` still shows under `--faults all`, one switch
 * per fix (README, "A hardened configuration"); `history-base` is `hardened` as the history entries were measured in
 * it (docs/history.md, until 2026-12-03), before its four switches of that night: the servers forget leases and write
 * tokens in a restart, a renewal that got no answer waits for the next tick, and the entity is the report's. Each
 * history entry's world starts from it, so its figures and tokens stay what was measured; B2 and B3 need the in-memory
 * servers in any case (their defects are what a restart loses). It keeps `renewal-timeout=interval` and no handler
 * signal, which `hardened` changed on 2026-12-04.
 */
export const CONFIG_PRESETS: Readonly<Record<string, SwitchValues>> = {
  'v0.4': {},
  'both-fixes': { wiring: 'retry', offset: 'durable' },
  hardened: HARDENED,
  'history-base': { ...HARDENED, 'lease-store': 'memory', 'write-tokens': 'memory', 'renewal-timeout': 'interval', 'renewal-retry': 'none', 'handler-signal': 'none', 'slow-call': 'uninterruptible', 'catch-up': 'newest' },
};

/**
 * Resolves a run's switch values: every switch's default, then the preset, then the overrides; a value a chosen
 * switch implies for another (`offset=durable` needs `resume-offset=reported`) applies unless that one was named too.
 * Unknown presets, switches and values are refused with a message listing what exists.
 */
export function resolveSwitchValues(switches: readonly SwitchDefinition[], presetName: string, overrides: SwitchValues): SwitchValues {
  const preset = Object.hasOwn(CONFIG_PRESETS, presetName) ? CONFIG_PRESETS[presetName]! : undefined;
  if (!preset) throw new ConfigError(`unknown config "${presetName}" (known: ${Object.keys(CONFIG_PRESETS).join(', ')})`);
  const byName = new Map(switches.map((definition) => [definition.name, definition]));
  const chosen: Record<string, string> = {};
  for (const [name, value] of Object.entries(overrides)) {
    const definition = byName.get(name);
    if (!definition) throw new ConfigError(`unknown switch "--${name}" (known: ${switches.map((known) => known.name).join(', ')})`);
    if (!definition.values.includes(value)) throw new ConfigError(`unknown value "${value}" for --${name} (allowed: ${definition.values.join(', ')})`);
  }
  for (const [name, value] of Object.entries(preset)) {
    // A value the user did not type: say that the preset set it (a preset written for one runtime, used with another).
    if (Object.hasOwn(overrides, name)) continue;
    const definition = byName.get(name);
    if (!definition) throw new ConfigError(`config "${presetName}" sets --${name}, which this runtime and scenario do not have`);
    if (!definition.values.includes(value)) throw new ConfigError(`config "${presetName}" sets --${name} ${value}, which this runtime does not have (allowed: ${definition.values.join(', ')})`);
  }
  for (const [name, value] of [...Object.entries(preset), ...Object.entries(overrides)]) chosen[name] = value;
  const values: Record<string, string> = {};
  for (const definition of switches) values[definition.name] = definition.defaultValue;
  for (const definition of switches) {
    const value = chosen[definition.name] ?? definition.defaultValue;
    for (const [name, implied] of Object.entries(definition.implies?.(value) ?? {})) {
      if (chosen[name] === undefined && byName.has(name)) values[name] = implied;
    }
  }
  return { ...values, ...chosen };
}

/** `wiring=retry offset=durable`: the values that differ from their defaults, in switch order (`defaults` when none). */
export function describeSwitchValues(switches: readonly SwitchDefinition[], values: SwitchValues): string {
  const differing = switches.filter((definition) => values[definition.name] !== undefined && values[definition.name] !== definition.defaultValue);
  return differing.length === 0 ? 'defaults' : differing.map((definition) => `${definition.name}=${values[definition.name]}`).join(' ');
}

/** Every switch's value in switch order: `wiring=swallow offset=minus-one ...`. */
export function listSwitchValues(switches: readonly SwitchDefinition[], values: SwitchValues): string {
  return switches.map((definition) => `${definition.name}=${values[definition.name] ?? definition.defaultValue}`).join(' ');
}

/**
 * The value of switch `name` in `config`, or its definition's default when the run does not name it (a switch recorded
 * only away from its default is absent from older tokens' configurations). An unknown name is an internal error.
 */
export function switchValue(definitions: readonly SwitchDefinition[], config: SwitchValues, name: string): string {
  const definition = definitions.find((candidate) => candidate.name === name);
  if (definition === undefined) throw new Error(`internal error: no switch named ${name}`);
  return config[name] ?? definition.defaultValue;
}
