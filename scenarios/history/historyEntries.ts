import { propertyNames } from '../../properties/index.ts';
import type { PropertyName } from '../../properties/Violation.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import { runSpecFor } from '../config/runSpecFor.ts';
import type { SwitchValues } from '../config/SwitchValues.ts';
import { getScenario, switchesFor, type RunSpec } from '../index.ts';
import { getRuntime } from '../registry/runtimes.ts';

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
  /**
   * The value of the fix: the switch's default, or, for a hardening switch whose default is the shipped (defective)
   * behaviour, the value the entry's preset sets. Either way it is what the entry's world has when the switch is not
   * named, unless {@link fixSetBy} is `entry`.
   */
  readonly fixed: string;
  /**
   * Who gives the switch its fixed value when the entry's world does not name the switch: `default-or-preset` (when
   * absent), the switch's default or the entry's preset; `entry`, nobody yet. That is an open entry whose fix no
   * preset turns on (putting it into `hardened` would change every hardened exploration, committed matrix and
   * benchmark): the world without the switch named is the defect, the switch's shipped default, and only
   * {@link historySpec}`(entry, entry.fixed)` names the fix. The entry's tests check exactly that.
   */
  readonly fixSetBy?: 'default-or-preset' | 'entry';
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
 * The entries the current simulated world can show. The base is mostly the `history-base` preset of the v0.4-shaped
 * runtime (`hardened` as the entries were measured in it, scenarios/config/SwitchValues.ts), clean under each entry's
 * faults, so what a defect value adds stands out. B3, B10 and B6 put a fixed defect back
 * behind a switch whose default is the fix; O4, O5, O8 and O9 are open upstream, and their switches already existed as
 * the 0.4.x default (the defect) beside a hardening value the preset sets (the fix as modelled here). O2 is open
 * upstream too; its fix is set by no preset, and the entry names it (`fixSetBy: 'entry'`). B8 puts a fixed defect of
 * the agents server back (`shared-links`), in a fresh-tenant variant of the daily digest (`shared-db=create`). O3 is
 * open upstream, but the runtime already acked only what its handlers were given: its switch's default is the fix,
 * and the defect a value added beside it. B11, B7 and B9 (its append-first half) put fixed defects back in the
 * children world (daily-digest `--children N`), B11 and B9 in the agents server, B7 in the runtime; O1, open upstream,
 * has its proposed fix (`claim-deferral=fifo`) as the default, as the v0.4 runtime always kept every deferred row, in
 * the world where runFinished rows travel in the wake stream (`run-finished-delivery=wake-stream`). B4's three parts
 * (B4a, B4b, B4c) put defects of the first runner back, each behind a runtime switch whose default is the fix.
 */
export const HISTORY_ENTRIES: readonly HistoryEntry[] = [
  {
    id: 'B1',
    title: "a claim of one entity evicts the write token of another entity's running wake on the same runner (37b9922e7, #4616)",
    switchName: 'claim-tokens',
    defect: 'per-consumer',
    fixed: 'per-stream',
    where: 'world: agents server, claim write-token store and done route (world/agents-server/WriteTokenStore.ts, ClaimTokenKeying.ts)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // Two entities on the one runner: their days fall due together, so their wakes overlap with no fault at all. No
    // claim reaper, as upstream (O9): with one, the row B1 leaves active is reaped, and the rest of the hardened preset
    // (failed wakes redelivered, keyed posts) recovers from the refused writes, so no property sees B1 (docs/history.md).
    switches: { entities: '2', 'claim-reaper': 'none' },
    faults: [],
    property: 'stuck-claim',
    room: "two digest entities served by one runner, whose cron ticks fall due at the same moment: each day one entity's claim is minted while the other's wake runs; no faults, no claim reaper",
  },
  {
    id: 'B3',
    title: 'done without the in-memory write token leaves the claim row active (c6fb22dd9, #4346)',
    switchName: 'done-release',
    defect: 'token-gated',
    fixed: 'independent',
    where: 'world: agents server, done route (world/agents-server/DoneRelease.ts)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
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
    preset: 'history-base',
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
  {
    id: 'B4a',
    title: 'a wake-stream read that fails ends the runner\'s read loop for good: no reconnect (e126eba37, #4339)',
    switchName: 'stream-reconnect',
    defect: 'give-up',
    fixed: 'backoff',
    where: 'runtime v0.4: the wake-stream read loop (runtimes/v04/runner/PullWakeRunner.ts, streamLoop)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // B4's 5xx half: a Durable Streams request answered 5xx ends a wake-stream read in an error. Its restart half
    // (ds-restart) finds the defect as fast, but the hardened base shows a heartbeat-rate finding of its own there
    // (docs/history.md, B4(a)).
    switches: {},
    faults: ['server-error'],
    // As for O4, the runner that stopped reading misses a digest first; deaf-runner is violated in the same run.
    property: 'missed-action',
    room: 'Durable Streams requests answered 5xx, among them reads of the wake stream; nothing but a reconnect brings a runner whose read failed back to its wakes',
  },
  {
    id: 'B4b',
    title: "claims run serially behind `await drainWakes()`: one long wake holds back every other entity's claim, and the runner stops reading its wake stream meanwhile (e126eba37, #4339)",
    switchName: 'claim-concurrency',
    defect: 'serial',
    fixed: 'concurrent',
    where: 'runtime v0.4: the handling of each batch read from the wake stream (runtimes/v04/runner/PullWakeRunner.ts, claimSerially)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // Head-of-line blocking needs a second entity whose wake waits behind the first one's: two digest entities on the
    // one runner, whose days fall due together (as B1's world).
    switches: { entities: '2' },
    // A handler that stalls (up to 90 s, longer than the long-poll plus the reconnect backoff cap) holds the runner's
    // drain while the other entity's wake waits in the wake stream unread.
    faults: ['slow-handler'],
    // Nothing is lost or doubled: the waiting wake is claimed once the stalled one ends. Only the liveness property that
    // bounds how long a live runner may leave a waiting wake unread sees the latency.
    property: 'deaf-runner',
    room: "two digest entities served by one runner, whose cron ticks and messages make wakes of both; handlers that stall for up to 90 s while holding their claim, so that the other entity's wake waits behind them",
  },
  {
    id: 'B4c',
    title: 'a claim answered during stop() is still dispatched, after the stop aborted its wakes (e126eba37, #4339)',
    switchName: 'stop-gate',
    defect: 'none',
    fixed: 'accepting-claims',
    where: "runtime v0.4: a claim's answer once a stop began (runtimes/v04/runner/PullWakeRunner.ts, claim and dispatch)",
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    switches: {},
    // A redeploy at the world's `claim-outstanding` or `wake-in-flight` fault moment (delay 0) sends SIGTERM while a
    // granted claim's answer is on its way to the runner. A rolling deploy stops the old process only after the overlap, with no claim on the wire.
    faults: ['redeploy'],
    // The runner lifecycle model (semantics.md §1: a stop aborts claims) rejects a claim settled as dispatched while
    // stopping. No behavioural property sees it here: the wake is drained like a wake running at SIGTERM
    // (docs/history.md, B4(c)).
    property: 'model-conformance',
    room: "redeploys (a graceful stop), among them at the moment a granted claim's answer is on its way to the runner",
  },
  {
    id: 'O4',
    title: 'a long-poll left on a stale socket makes the runner deaf: only heartbeat failures reset the stream (a4da19e65, unmerged)',
    switchName: 'read-watchdog',
    defect: 'none',
    fixed: 'reset',
    where: 'runtime v0.4: the wake-stream read loop (runtimes/v04/runner/PullWakeRunner.ts, watchReads)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // The half-open socket is the network world's `stale-connection`: the long-poll is served, its answer never comes
    // and never fails. Heartbeats still succeed, so the runner's only other reset (two heartbeat failures) never fires.
    // The hardened preset's request timeout (`request-timeout=abort`) would end such a read too, a second fix of the
    // same defect: it is off here, so the entry shows what the read watchdog alone does.
    switches: { 'request-timeout': 'none' },
    faults: ['stale-connection'],
    // The general property that names the symptom first is missed-action (the digest the deaf runner never ran);
    // deaf-runner is violated in the same run (test/history/historyO4.test.ts checks it on its own).
    property: 'missed-action',
    room: 'long-polls of the wake stream whose answer never arrives on a socket that never fails; heartbeats keep succeeding, so nothing but a read watchdog ends the read',
  },
  {
    id: 'O5',
    title: 'after a transient wiring error observe(db()) resolves unwired, so an idempotency check passes wrongly and an action runs again (#4625)',
    switchName: 'wiring',
    defect: 'swallow',
    fixed: 'retry',
    where: 'runtime v0.4: observe() and the wiring chain (runtimes/v04/wake/WiringChain.ts)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // The preset's post keys and the chat service's deduplication would absorb the repeated post, the side effect
    // #4625 is about; without them a second post is seen (as in B6). Everything else of the preset stays.
    switches: { 'post-key': 'none', 'chat-idempotency': 'ignore' },
    faults: ['redeploy', 'preload-not-found', 'preload-foreign-item', 'delivery-reorder'],
    property: 'duplicate-action',
    room: "the bug report's world: preloads of the shared log that fail transiently (404, a foreign item), redeploys that make the next wake read the log again; no post keys, so a repeated digest reaches the chat",
  },
  {
    id: 'O8',
    title: 'the runtime does not retry a claim across an agents-server restart: the wake is dropped (#4197)',
    switchName: 'claim-retry',
    defect: 'none',
    fixed: 'backoff',
    where: 'runtime v0.4: the claim of a wake read from the wake stream (runtimes/v04/runner/PullWakeRunner.ts, claimOnce)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // The preset keeps the claim reaper (claim-reaper=sweep), so what this entry shows is not O9's leaked row. The
    // done's own retry (done-retry) is left at the 0.4.x value: with the reaper, a done lost to the downtime is
    // released after its lease and shows nothing; the dropped claim is what stays visible.
    switches: {},
    faults: ['server-restart'],
    property: 'missed-action',
    room: 'agents-server restarts while a wake read from the wake stream is being claimed; the claim reaper on, so a claim row that outlives its wake is released',
  },
  {
    id: 'O9',
    title: 'no lease reaper for consumer_claims: an abandoned claim stays active (c6fb22dd9, c02dd6d75)',
    switchName: 'claim-reaper',
    defect: 'none',
    fixed: 'sweep',
    where: 'world: agents server, claim reaper (world/agents-server/AgentsServer.ts, scheduleSweep)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    switches: {},
    faults: ['crash'],
    property: 'stuck-claim',
    room: 'crashes that abandon a wake between its claim and its done; nothing but a reaper releases the row',
  },
  {
    id: 'O2',
    title: "the done answer's next_wake (work came while the claim was held) is ignored, stranding that work (503ccbfec, unmerged)",
    switchName: 'next-wake',
    defect: 'ignore',
    fixed: 'claim',
    fixSetBy: 'entry',
    where: 'runtime v0.4: the end of a wake and the claim that follows (runtimes/v04/wake/processWake.ts, runtimes/v04/runner/PullWakeRunner.ts claimNextWake)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // Upstream's stranding implies that the done answer is the only signal of the wake a done leaves pending: the
    // world's pending-wake=answer-only (docs/modelling-choices.md). Under the default `event` the wake event is
    // appended too, and ignoring the answer strands nothing.
    switches: { 'pending-wake': 'answer-only' },
    // A stalled handler holds its claim while messages and cron ticks arrive. A stop between the done answer and the
    // claim that follows it strands the wake even with the fix (redeploy, crash): docs/history.md, O2.
    faults: ['slow-handler'],
    property: 'missed-action',
    room: "handlers that stall while holding their claim, so that messages and cron ticks arrive during it; a world whose only signal of the wake a done leaves pending is the done answer's next_wake",
  },
  {
    id: 'B2',
    title: 'a wake event of a stream whose wake is still running is claimed at once, starting a second wake beside it (37b9922e7, #4616)',
    switchName: 'claim-guard',
    defect: 'none',
    fixed: 'defer',
    where: 'runtime v0.4: the claim of each wake event read (runtimes/v04/runner/PullWakeRunner.ts, waitForRunningWake)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // The duplicate wake event of upstream's trigger is, here, the one the Durable Streams service re-issues after a
    // restart forgot the running wake's lease; a shared-stream outage keeps that wake running long enough to see it.
    // Not modelled: the replacement token of the second claim (the simulated server grants a new lease and token
    // without revoking the first; the running wake learns of the loss at its next renewal).
    switches: {},
    faults: ['ds-restart', 'stream-outage'],
    property: 'concurrent-wake',
    room: 'Durable Streams restarts that forget the lease of a wake whose preload retries through a shared-stream outage, and re-issue its wake event while it still runs',
  },
  {
    id: 'B5',
    title: 'the stream reset after heartbeat failures is ignored while a (re)connect is pending, so a hung reconnect is never aborted (87be53999, #4542)',
    switchName: 'stream-reset',
    defect: 'connected-only',
    fixed: 'any-state',
    where: 'runtime v0.4: the reset after consecutive heartbeat failures (runtimes/v04/runner/PullWakeRunner.ts, resetStream)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // The preset's read watchdog and request timeout each end a hung connect after 30 s, a second and a third fix of
    // the same deafness (O4's): both are off, so the entry shows what the heartbeat-failure reset alone does.
    switches: { 'read-watchdog': 'none', 'request-timeout': 'none' },
    // Upstream's trigger as one event: the host's network outage cuts the wake-stream read, leaves the reconnect
    // half-open, and fails the heartbeats while it lasts. Independent `server-restart`, `ds-restart` and `hung-connect`
    // leave the fixed runner as deaf as the defect (a connect that hangs with no heartbeat failure after it).
    faults: ['network-outage'],
    property: 'missed-action',
    room: "the host's network outages: the wake-stream read is cut, the runner's reconnect hangs for good, and its heartbeats fail until the outage ends; only a reset that aborts the pending connect brings the runner back",
  },
  {
    id: 'B11',
    title: 'a spawn registers its runFinished wake without the manifest key the registry deduplicates by, so the manifest side adds a second: the parent is woken twice per child run (dffbf62cb, #4400)',
    switchName: 'run-finished-key',
    defect: 'none',
    fixed: 'manifest',
    where: 'world: agents server, spawn and runFinished wake registry (world/agents-server/AgentsServer.ts spawn, RunFinishedWakes.ts)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // Two observed children; the parent records each finished child run with a chat post. The preset's post keys and the
    // chat's deduplication would absorb the second post of a run, the duplicate handler pass #4400 is about: both are
    // off (as for O5), so a second pass over the same child run is a second message.
    switches: { children: '2', 'post-key': 'none', 'chat-idempotency': 'ignore' },
    // No fault is needed: every finished child run is announced once per registration.
    faults: [],
    property: 'duplicate-action',
    room: 'a digest entity that spawns two observed children (wake: runFinished), each sent one message; the parent posts child-done:<child>:<run> for each runFinished row it is given; no post keys',
  },
  {
    id: 'B7',
    title: 'of the wake rows one read of a claimed stream returned, only the newest is given to the handler, yet the read is acked whole: a child completion is never seen (0418d908c, #4613)',
    switchName: 'wake-batch',
    defect: 'newest',
    fixed: 'all',
    where: 'runtime v0.4: the wake inputs read at the start of a wake (runtimes/v04/wake/processWake.ts, readInputs)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // Two children spawned at one moment finish close together: their runFinished rows land in the parent's runs
    // stream before its wake reads it, so one read returns both. No fault is needed for that.
    switches: { children: '2' },
    faults: [],
    property: 'lost-work',
    room: "a digest entity that spawns two observed children at one moment; their runs finish close together, and both runFinished rows reach the parent's runs stream before the wake they caused reads it",
  },
  {
    id: 'O1',
    title: "B2's one-slot deferral keeps one deferred wake row per entity: a later row overwrites it, so repeated child completions are lost (#4632 / #4726, open)",
    switchName: 'claim-deferral',
    defect: 'one-slot',
    fixed: 'fifo',
    where: 'runtime v0.4: the wake rows the claim guard defers (runtimes/v04/runner/PullWakeRunner.ts, keepWakeRow)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // The preset's claim-guard=defer is B2's fix, the deferral O1 is about. Three children spawned at one moment finish
    // close together: the first one's runFinished row wakes the parent, the others arrive while that wake runs. The
    // rows go to the runner's wake stream with their payload (run-finished-delivery=wake-stream), as upstream's server
    // wakes: in the default world they are work in a linked stream, read at claim, which no deferral can drop.
    switches: { children: '3', 'run-finished-delivery': 'wake-stream' },
    faults: [],
    property: 'lost-work',
    room: "a digest entity that spawns three observed children at one moment; their runFinished wake rows, each with its payload, reach the runner's wake stream while the parent's wake for the first one runs, so the claim guard defers them",
  },
  {
    id: 'B9',
    title: "a spawn appends the child's initial message before the child's subscription links its inbox: the message is never processed (0ac67fdab, c4e046fec, e13cad14b)",
    switchName: 'spawn-order',
    defect: 'append-first',
    fixed: 'link-first',
    where: 'world: agents server, spawn (world/agents-server/AgentsServer.ts spawn, SpawnOrder.ts)',
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // One child is enough: its one message is what it is spawned for. Only the append-first half of B9 is in this
    // world: a link issues no wake without pending work, so link-first's early empty wake cannot happen (docs/history.md).
    switches: { children: '1' },
    faults: [],
    property: 'missed-action',
    room: "a digest entity that spawns one observed child with an initial message; the child's subscription links its inbox at the inbox's tail, as the reference server links a stream",
  },
  {
    id: 'B8',
    title: "a shared state created with mkdb is linked to its creator only by a projection of the manifest, which the wake whose preload that link refuses never commits: a fresh tenant's first wake never succeeds (a044edeec, #4550)",
    switchName: 'shared-links',
    defect: 'on-manifest',
    fixed: 'on-create',
    where: "world: agents server, the shared-state create route, its links and the read authorisation the Durable Streams service asks of it (world/agents-server/SharedStateLinks.ts, AgentsServer.ts createSharedState / refuseStreamRead, world/durable-streams/StreamsFrontEnd.ts readAccess)",
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // A fresh tenant: nothing is created beforehand, the entity's first wake creates its DB with mkdb. No faults: the
    // defect is one of order (the link comes after the manifest, the manifest after a preload the missing link
    // refuses), not of timing. Upstream's second defect (observe of a child not yet spawned) needs a handler that
    // spawns: the children world's spawns are the scenario's.
    switches: { 'shared-db': 'create' },
    faults: [],
    property: 'missed-action',
    room: "a fresh tenant: the digest entity creates its own shared DB with mkdb on its first wake (shared-db=create) and nothing is created beforehand; no faults",
  },
  {
    id: 'O3',
    title: "a stop's cleanup acks an entity's streams past an inbox message no handler was given (c1f1aed46, unmerged)",
    switchName: 'stop-ack',
    defect: 'tail',
    fixed: 'given',
    where: "runtime v0.4: the end of a wake once a stop began, and the stop's cleanup of a wake it abandoned (runtimes/v04/wake/processWake.ts, tailAcks)",
    scenario: 'daily-digest',
    runtime: 'v0.4',
    preset: 'history-base',
    // The workload's inbox messages are the work: each arrives while some wake may be running. A stalled handler holds
    // its wake open long enough for a message to land after the wake read its inputs and for a redeploy's stop to
    // begin before the wake ends.
    switches: {},
    // Two ways a stop lands on a running wake: a stalled handler (slow-handler) that finishes during the stop's drain,
    // and a preload retrying through a shared-stream outage (stream-outage), which the stop abandons.
    faults: ['redeploy', 'slow-handler', 'stream-outage'],
    // The message the cleanup consumed is never answered: missed-action names it first (property order). lost-work sees
    // the ack itself in the same runs when the message arrived after the wake read its inputs
    // (test/history/historyO3.test.ts checks it alone); a message given to a handler the stop abandoned counts as
    // given, so missed-action alone sees that one.
    property: 'missed-action',
    room: "redeploys (a graceful stop) while a wake runs: handlers that stall while holding their claim, preloads that retry through a shared-stream outage; the workload's inbox messages and cron ticks arrive meanwhile, after the wake read its inputs",
    // The wiring-chain model has an abandoned wake send no done, so it rejects the defect's cleanup done before any
    // behaviour goes wrong; that finding is reported in docs/history.md, and what counts is what a user would see.
    counted: BEHAVIOURAL_PROPERTIES,
  },
];

/** The entry with `id`; throws a one-line error listing the known ids otherwise. */
export function historyEntry(id: string): HistoryEntry {
  const entry = HISTORY_ENTRIES.find((candidate) => candidate.id === id);
  if (!entry) throw new Error(`unknown history entry "${id}" (known: ${HISTORY_ENTRIES.map((known) => known.id).join(', ')})`);
  return entry;
}

/**
 * The run spec of `entry` with its switch at `value` (the defect or the fix). The switch is always named, so the fix
 * of an entry whose fix no preset sets (`fixSetBy: 'entry'`) is in its spec too.
 */
export function historySpec(entry: HistoryEntry, value: string): RunSpec {
  return runSpecFor({
    scenario: entry.scenario,
    runtime: entry.runtime,
    preset: entry.preset,
    switches: { ...entry.switches, [entry.switchName]: value },
    faults: entry.faults,
  });
}

/** The definition of the switch that carries `entry`, as its scenario and runtime register it. */
export function historySwitch(entry: HistoryEntry): SwitchDefinition {
  const definition = switchesFor(getScenario(entry.scenario), getRuntime(entry.runtime)).find((candidate) => candidate.name === entry.switchName);
  if (!definition) throw new Error(`history entry ${entry.id}: no switch "${entry.switchName}" in scenario ${entry.scenario} on runtime ${entry.runtime}`);
  return definition;
}

/** The properties that count as a finding for `entry`. */
export function countedProperties(entry: HistoryEntry): readonly PropertyName[] {
  return entry.counted ?? propertyNames();
}
