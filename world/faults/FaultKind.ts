import { FAULT_WORLDS, type FaultWorldName } from './FaultWorlds.ts';

/** The name of a registered fault kind, e.g. `redeploy`. */
export type FaultKind = string;

/** A kind of fault a scenario can inject: its name and what it does. */
export interface FaultKindDefinition {
  /** Lower-case, `-`-separated; what `--faults` lists. */
  readonly name: string;
  /** One line for `--help` and docs. */
  readonly summary: string;
  /**
   * True for a kind that strikes without recording a `fault` event (`delivery-reorder` delays every message a little):
   * a search cannot tell from the trace whether it struck, so it is never reported as one that did not.
   */
  readonly strikesUnrecorded?: boolean;
}

/** The kinds of fault the simulated world injects itself (semantics.md §6); a scenario may register more. */
const BUILT_IN: readonly FaultKindDefinition[] = [
  { name: 'redeploy', summary: 'graceful stop (SIGTERM, drain), then a new host process' },
  { name: 'crash', summary: 'the host process dies at once; a new one follows' },
  { name: 'server-restart', summary: 'the agents server is down for a while; its in-memory write tokens are lost' },
  { name: 'preload-not-found', summary: 'a cold shared-stream read answers 404, as for a stream not created yet' },
  { name: 'preload-foreign-item', summary: 'a non-state item lands in the batch before up-to-date (the state guard throws)' },
  { name: 'delivery-reorder', summary: 'each message draws an extra delay, so messages overtake each other', strikesUnrecorded: true },
  { name: 'heartbeat-failure', summary: 'a heartbeat is answered 503' },
  { name: 'rolling-deploy', summary: 'a new host process starts before the old one is stopped; the two overlap for a while' },
  { name: 'ds-restart', summary: 'Durable Streams is down for a while: requests answer 503, held reads are cut, leases and outstanding wakes are lost' },
  { name: 'server-error', summary: 'a Durable Streams request is answered 5xx' },
  { name: 'rate-limit', summary: 'a Durable Streams request is answered 429 with a Retry-After' },
  { name: 'stream-outage', summary: 'a shared stream answers 404 to every read for a drawn time, up to several leases' },
  { name: 'lost-answer', summary: 'a service acts on a request but its answer never arrives: the connection drops' },
  { name: 'connection-drop', summary: 'a request never reaches its service: the connection drops' },
  { name: 'stale-connection', summary: "a held read's answer never arrives and never fails (a half-open socket)" },
  { name: 'hung-connect', summary: 'a new connection to Durable Streams never completes and never fails' },
  { name: 'hung-request', summary: 'a request to the agents server never reaches it and never fails (a stalled proxy)' },
  { name: 'slow-handler', summary: "the entity handler's process stalls for a drawn time once the handler has read its state" },
  {
    name: 'network-outage',
    summary: "the host's network is out for a drawn time: its held reads are cut, its new connections to Durable Streams hang for good, its other requests fail",
  },
];

const kinds = new Map<string, FaultKindDefinition>(BUILT_IN.map((definition) => [definition.name, definition]));

/** The bug report's world: redeploys, transient preload failures of both kinds, reordered deliveries. */
export const DEFAULT_FAULT_KINDS: readonly FaultKind[] = FAULT_WORLDS.report.kinds;

/** Thrown for an unknown fault name; the message is a complete one-line explanation. */
export class FaultListError extends Error {
  override name = 'FaultListError';
}

/**
 * Makes a fault kind known to `--faults` (a scenario that injects it draws and applies it itself). Registering the
 * same definition again is a no-op; another one under a taken name is refused.
 */
export function registerFaultKind(definition: FaultKindDefinition): void {
  const known = kinds.get(definition.name);
  if (known && known.summary !== definition.summary) throw new FaultListError(`a fault kind named "${definition.name}" is already registered`);
  kinds.set(definition.name, definition);
}

/**
 * The kinds of `asked` that struck in no run, judged by `struck` (the kinds whose `fault` events some run recorded);
 * kinds that strike unrecorded are left out. Nothing in a scenario may inject such a kind, or it is rare: say which.
 */
export function faultKindsNeverStruck(asked: readonly FaultKind[], struck: ReadonlySet<FaultKind> | ReadonlyMap<FaultKind, unknown>): FaultKind[] {
  return asked.filter((kind) => !struck.has(kind) && kinds.get(kind)?.strikesUnrecorded !== true);
}

/** Every registered fault kind, in registration order (the canonical order of fault lists). */
export function faultKinds(): readonly FaultKindDefinition[] {
  return [...kinds.values()];
}

/**
 * Parses `--faults`: a comma-separated list of kinds and fault worlds (`report` — also `default` —, `platform`,
 * `network`, `all`), or `none`. The result keeps the canonical order of {@link faultKinds}, so equal sets print and
 * encode equally. An empty list is refused: `none` says it.
 */
export function parseFaultList(text: string): FaultKind[] {
  const words = text.split(',').map((word) => word.trim()).filter((word) => word.length > 0);
  const worlds = `${Object.keys(FAULT_WORLDS).join(', ')}, default, all`;
  if (words.length === 0) throw new FaultListError(`empty fault list (name kinds, or ${worlds}, none)`);
  const chosen = new Set<FaultKind>();
  for (const word of words) {
    if (word === 'none') continue;
    const world = word === 'default' ? FAULT_WORLDS.report : FAULT_WORLDS[word as FaultWorldName];
    if (world) world.kinds.forEach((kind) => chosen.add(kind));
    else if (word === 'all') kinds.forEach((_, kind) => chosen.add(kind));
    else if (kinds.has(word)) chosen.add(word);
    else throw new FaultListError(`unknown fault "${word}" (known: ${[...kinds.keys()].join(', ')}, or ${worlds}, none)`);
  }
  return [...kinds.keys()].filter((kind) => chosen.has(kind));
}
