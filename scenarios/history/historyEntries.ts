import { propertyNames } from '../../properties/index.ts';
import type { PropertyName } from '../../properties/Violation.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import { runSpecFor } from '../config/runSpecFor.ts';
import type { SwitchValues } from '../config/SwitchValues.ts';
import type { RunSpec } from '../index.ts';

/**
 * One entry of historical-bugs.md put back as a switch value: the defect and its fix side by side, in a world that
 * gives the defect room to happen. What catches it is whatever general property the exploration reports; `property`
 * only names the one the scenario was chosen for, so a test can say which to expect.
 */
export interface HistoryEntry {
  /** The entry's id in historical-bugs.md (`B3`). */
  readonly id: string;
  /** One line: what the defect does. */
  readonly title: string;
  /** The switch that carries the entry. */
  readonly switchName: string;
  /** The value that puts the defect back. */
  readonly defect: string;
  /** The value of the fix (the switch's default). */
  readonly fixed: string;
  /** Where the switch acts: the simulated servers or a runtime. */
  readonly where: string;
  readonly scenario: string;
  readonly runtime: string;
  /** The preset the other switches start from. */
  readonly preset: string;
  /** Further switches of the scenario that gives the defect room (besides the entry's own). */
  readonly switches: SwitchValues;
  readonly faults: readonly FaultKind[];
  /** The general property the scenario is meant to let catch the defect. */
  readonly property: PropertyName;
  /** Why this world: what gives the defect room, and what else it holds. */
  readonly room: string;
  /**
   * The properties that count as a finding, when not every one: an entry whose defect the executable models reject
   * before any behaviour goes wrong counts the behavioural properties, so that what it finds is what a user would see
   * (its model-conformance finding is reported in docs/history.md).
   */
  readonly counted?: readonly PropertyName[];
}

/** Every property but the executable models' conformance: what the system did, as the outside world saw it. */
export const BEHAVIOURAL_PROPERTIES: readonly PropertyName[] = propertyNames().filter((name) => name !== 'model-conformance');

/**
 * The entries the current simulated world can show. The base is the `hardened` preset of the v0.4-shaped runtime,
 * which is clean under every fault (test/acceptance/hardenedClean.test.ts), so what a defect value adds stands out.
 */
export const HISTORY_ENTRIES: readonly HistoryEntry[] = [
  {
    id: 'B3',
    title: 'done without the in-memory write token leaves the claim row active (c6fb22dd9, #4346)',
    switchName: 'done-release',
    defect: 'token-gated',
    fixed: 'independent',
    where: 'world: agents server, done route (world/agents-server/DoneRelease.ts)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'hardened',
    // The reaper would release the row B3 leaves behind: upstream has none (O9), and with one B3 cannot be seen. The
    // runtime retries a done refused while the server is down, so every done reaches the server after its restart
    // (without it a done lost to the downtime leaves the row active whatever the server does).
    switches: { 'claim-reaper': 'none', 'done-retry': 'backoff' },
    faults: ['server-restart'],
    property: 'stuck-claim',
    room: 'agents-server restarts (its write tokens are in memory, its claim rows in the database) between a claim and its done; no claim reaper, as upstream; a runtime that retries its done through the downtime',
  },
  {
    id: 'B10',
    title: "a runner heartbeat erases its claims' lease expiry (c02dd6d75, #4353)",
    switchName: 'heartbeat-lease',
    defect: 'erase',
    fixed: 'keep',
    where: 'world: agents server, heartbeat route and claim reaper (world/agents-server/HeartbeatLease.ts)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'hardened',
    // The hardened preset has the claim reaper, without which B10 is latent (a lease nobody reads).
    switches: {},
    faults: ['crash'],
    property: 'stuck-claim',
    room: 'crashes that abandon a wake after a heartbeat went out during it; the claim reaper (claim-reaper=sweep) that should release the abandoned row',
  },
  {
    id: 'B6',
    title: 'a stop skips the done of a wake whose handler pass completed (d344c32aa, #4417)',
    switchName: 'stop-done',
    defect: 'skip',
    fixed: 'send',
    where: 'runtime v0.4: the end of a wake (runtimes/v04/wake/processWake.ts)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'both-fixes',
    // Clean under the report's faults with the reaper (test/acceptance/fixedConfigClean.test.ts); no post keys, so a
    // redelivered wake's second reply is seen. The hardened preset's chat deduplication would hide it.
    switches: { 'claim-reaper': 'sweep' },
    faults: ['redeploy'],
    property: 'duplicate-action',
    room: 'redeploys (a graceful stop) while a wake finishes its pass: the skipped done leaves the claim pending, the wake is redelivered after the lease, and its message is answered again',
    counted: BEHAVIOURAL_PROPERTIES,
  },
];

/** The entry with `id`; throws a one-line error listing the known ids otherwise. */
export function historyEntry(id: string): HistoryEntry {
  const entry = HISTORY_ENTRIES.find((candidate) => candidate.id === id);
  if (!entry) throw new Error(`unknown history entry "${id}" (known: ${HISTORY_ENTRIES.map((known) => known.id).join(', ')})`);
  return entry;
}

/** The run spec of `entry` with its switch at `value` (the defect or the fix). */
export function historySpec(entry: HistoryEntry, value: string): RunSpec {
  return runSpecFor({
    scenario: entry.scenario,
    runtime: entry.runtime,
    preset: entry.preset,
    switches: { ...entry.switches, [entry.switchName]: value },
    faults: entry.faults,
  });
}

/** The properties that count as a finding for `entry`. */
export function countedProperties(entry: HistoryEntry): readonly PropertyName[] {
  return entry.counted ?? propertyNames();
}
