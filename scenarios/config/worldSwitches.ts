import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import { switchValue, type SwitchValues } from './SwitchValues.ts';
import { CLAIM_REAPERS } from '../../world/agents-server/ClaimReaper.ts';
import { CLAIM_TOKEN_KEYINGS } from '../../world/agents-server/ClaimTokenKeying.ts';
import { DONE_RELEASES } from '../../world/agents-server/DoneRelease.ts';
import { HEARTBEAT_LEASES } from '../../world/agents-server/HeartbeatLease.ts';
import { RESUME_OFFSET_SOURCES } from '../../world/agents-server/ResumeOffsetSource.ts';
import { RUN_FINISHED_DELIVERIES } from '../../world/agents-server/RunFinishedDelivery.ts';
import { RUN_FINISHED_KEYS } from '../../world/agents-server/RunFinishedKey.ts';
import { SHARED_LINK_MODES } from '../../world/agents-server/SharedStateLinks.ts';
import { SPAWN_ORDERS } from '../../world/agents-server/SpawnOrder.ts';
import { PENDING_WAKES, type PendingWake } from '../../world/durable-streams/PendingWake.ts';
import { LEASE_STORES, type LeaseStore } from '../../world/durable-streams/LeaseStore.ts';
import { WRITE_TOKEN_KEEPINGS, type WriteTokenKeeping } from '../../world/agents-server/WriteTokenKeeping.ts';
import type { ClaimReaper } from '../../world/agents-server/ClaimReaper.ts';
import type { ClaimTokenKeying } from '../../world/agents-server/ClaimTokenKeying.ts';
import type { DoneRelease } from '../../world/agents-server/DoneRelease.ts';
import type { HeartbeatLease } from '../../world/agents-server/HeartbeatLease.ts';
import type { ResumeOffsetSource } from '../../world/agents-server/ResumeOffsetSource.ts';
import type { RunFinishedDelivery } from '../../world/agents-server/RunFinishedDelivery.ts';
import type { RunFinishedKey } from '../../world/agents-server/RunFinishedKey.ts';
import type { SharedLinks } from '../../world/agents-server/SharedStateLinks.ts';
import type { SpawnOrder } from '../../world/agents-server/SpawnOrder.ts';
import type { WorldOptions } from '../../world/World.ts';

/** Switches of the simulated servers: behaviour of the world that a fix (or a historical defect) changes. */
export const WORLD_SWITCHES: readonly SwitchDefinition[] = [
  {
    name: 'resume-offset',
    values: RESUME_OFFSET_SOURCES,
    defaultValue: 'none',
    summary: "where the agents server's registration takes the resume offset it returns to a starting runner",
    meanings: {
      none: 'no offset (0.4.x up to the newest version)',
      reported: 'the offset the runner last reported on a heartbeat',
      'acked-seek': 'the end of the settled prefix of the wake stream',
      'claimed-seek': 'hardening: the end of the prefix of the wake stream whose wakes were all claimed',
    },
  },
  {
    name: 'chat-idempotency',
    values: ['ignore', 'honor'],
    defaultValue: 'ignore',
    summary: 'whether the chat service deduplicates posts that carry an idempotency key it has seen',
    meanings: { ignore: 'every post is a new message', honor: 'a repeated idempotency key answers the first post' },
  },
  {
    name: 'claim-reaper',
    values: CLAIM_REAPERS,
    defaultValue: 'none',
    summary: 'whether the agents server releases claims whose lease ended without a done',
    meanings: {
      none: 'no reaper (upstream today): an abandoned wake leaves its entity running in the database',
      sweep: 'a sweep every 30 s releases claims whose Durable Streams lease ended',
    },
  },
  {
    name: 'done-release',
    values: DONE_RELEASES,
    defaultValue: 'independent',
    summary: "historical B3 (c6fb22dd9): whether done releases the claim row when the server lost the claim's write token",
    meanings: {
      'token-gated': 'B3, the defect: the release is gated on the in-memory token; after a server restart the row stays active',
      independent: 'the fix: the row is released whenever the done names its generation; only the ack needs the token',
    },
  },
  {
    name: 'heartbeat-lease',
    values: HEARTBEAT_LEASES,
    defaultValue: 'keep',
    summary: "historical B10 (c02dd6d75): what a runner heartbeat does to the lease expiry of the runner's claim rows",
    meanings: {
      erase: 'B10, the defect: the heartbeat writes lease_expires_at = null, so the claim reaper never releases the row',
      keep: 'the fix: a heartbeat touches only the last-heartbeat time',
    },
  },
  {
    name: 'claim-tokens',
    values: CLAIM_TOKEN_KEYINGS,
    defaultValue: 'per-stream',
    summary: "historical B1 (37b9922e7): how the agents server's in-memory store keys claim write tokens",
    meanings: {
      'per-consumer': "B1, the defect: one token per runner: a claim of another entity evicts a running wake's token (its writes get 401), and a tokenless done releases the row of the runner's last-claimed stream",
      'per-stream': 'the fix: a token per claim, with a reverse index per runner; done releases the row it names',
    },
    recordedAtDefault: false,
  },
  {
    name: 'pending-wake',
    values: PENDING_WAKES,
    defaultValue: 'event',
    summary: "historical O2 (503ccbfec): how the runner learns of the wake a done leaves pending (work that came while the claim was held)",
    meanings: {
      event: 'as the reference server: the wake event is appended to the wake stream, and the done answers next_wake: true',
      'answer-only': "the done answer's next_wake: true is the only signal: no wake event for it (writes, releases and expiries still append theirs)",
    },
    recordedAtDefault: false,
  },
  {
    name: 'shared-links',
    values: SHARED_LINK_MODES,
    defaultValue: 'on-create',
    summary: "historical B8 (a044edeec): when the agents server links a shared state created with mkdb to its creator, without which the creator's reads of it are refused 401",
    meanings: {
      'on-manifest': "B8, the defect: the create route inserts no link; it is projected asynchronously from the manifest, which a wake commits only at its end, after mkdb's preload was already refused",
      'on-create': 'the fix: the create route inserts the creator\'s link synchronously',
    },
    recordedAtDefault: false,
  },
  {
    name: 'run-finished-key',
    values: RUN_FINISHED_KEYS,
    defaultValue: 'manifest',
    summary: "historical B11 (dffbf62cb): whether a spawn's runFinished wake registration carries the manifest child key the registry deduplicates by (acts only where children are spawned: daily-digest --children)",
    meanings: {
      none: "B11, the defect: the spawn registers without a key and the manifest side registers a second: the parent gets two runFinished rows per finished child run",
      manifest: 'the fix: the spawn passes the manifest child key; the manifest-side registration is recognised and not added',
    },
    recordedAtDefault: false,
  },
  {
    name: 'run-finished-delivery',
    values: RUN_FINISHED_DELIVERIES,
    defaultValue: 'runs-stream',
    summary: "where the agents server puts a child's runFinished wake row (acts only where children are spawned: daily-digest --children; the world of historical O1)",
    meanings: {
      'runs-stream': "in the parent's runs stream, which its subscription links: the row is a wake input like a message, and wake events stay coalesced",
      'wake-stream': "in the runner's wake stream, as a wake row whose payload is the row: not coalesced, the payload in that row alone",
    },
    recordedAtDefault: false,
  },
  {
    name: 'spawn-order',
    values: SPAWN_ORDERS,
    defaultValue: 'link-first',
    summary: "historical B9 (0ac67fdab, c4e046fec, e13cad14b): whether a spawn appends the child's initial message before or after the child's subscription links its inbox (acts only where children are spawned: daily-digest --children)",
    meanings: {
      'append-first': 'B9, the order 0ac67fdab chose: the message predates the link, which starts at the inbox tail, so it is no work and the child never answers it',
      'link-first': "the fix, HEAD's order: the subscription links the inbox, then the message is appended and wakes the child",
    },
    recordedAtDefault: false,
  },
  {
    name: 'lease-store',
    values: LEASE_STORES,
    defaultValue: 'memory',
    summary: 'whether a restart of the Durable Streams service forgets the leases of the wakes in flight',
    meanings: {
      memory: "the reference server's way: leases, their tokens and the outstanding wake live in memory, and a restart re-issues the wake while its holder may still run it",
      durable: 'hardening of the service: leases, tokens and the outstanding wake are stored with the subscriptions and survive a restart; no lease runs out while the service is down, and each gets a whole lease when it is back',
    },
    recordedAtDefault: false,
  },
  {
    name: 'write-tokens',
    values: WRITE_TOKEN_KEEPINGS,
    defaultValue: 'memory',
    summary: 'whether a restart of the agents server loses the claim write tokens of the wakes in flight',
    meanings: {
      memory: "upstream's ClaimWriteTokenStore: in memory, so a restart refuses the renewals, dones and writes of every wake in flight (401)",
      database: 'hardening of the server: the tokens are stored with the claim rows and survive a restart',
    },
    recordedAtDefault: false,
  },
];

/** The value of the world switch `name` in `config`, or its definition's default (see {@link switchValue}). */
export function worldSwitchValue(config: SwitchValues, name: string): string {
  return switchValue(WORLD_SWITCHES, config, name);
}

/** The part of {@link WorldOptions} the world switches set. */
export type WorldSwitchOptions = Pick<
  WorldOptions,
  'resumeOffsetSource' | 'chat' | 'claimReaper' | 'doneRelease' | 'heartbeatLease' | 'claimTokens' | 'pendingWake' | 'sharedLinks' | 'runFinishedKey' | 'runFinishedDelivery' | 'spawnOrder' | 'leaseStore' | 'writeTokens'
>;

/**
 * Every world switch of a run, as the options of its `World` (`new World(sim, { ...worldSwitchOptions(spec.config),
 * faults, ... })`). A scenario that builds its world without them makes those switches no-ops in its runs, though the
 * command line accepts them and replay tokens record them.
 */
export function worldSwitchOptions(config: SwitchValues): WorldSwitchOptions {
  const value = (name: string): string => worldSwitchValue(config, name);
  return {
    resumeOffsetSource: value('resume-offset') as ResumeOffsetSource,
    chat: { honorIdempotencyKeys: value('chat-idempotency') === 'honor' },
    claimReaper: value('claim-reaper') as ClaimReaper,
    doneRelease: value('done-release') as DoneRelease,
    heartbeatLease: value('heartbeat-lease') as HeartbeatLease,
    claimTokens: value('claim-tokens') as ClaimTokenKeying,
    pendingWake: value('pending-wake') as PendingWake,
    sharedLinks: value('shared-links') as SharedLinks,
    runFinishedKey: value('run-finished-key') as RunFinishedKey,
    runFinishedDelivery: value('run-finished-delivery') as RunFinishedDelivery,
    spawnOrder: value('spawn-order') as SpawnOrder,
    leaseStore: value('lease-store') as LeaseStore,
    writeTokens: value('write-tokens') as WriteTokenKeeping,
  };
}
