/**
 * Whether the agents server releases claim rows whose Durable Streams lease ended without a done (the world's
 * `claim-reaper` switch): `none`, as upstream today (no lease reaper for `consumer_claims`, historical-bugs.md O9), so a
 * wake abandoned by a stop or a done lost to a restart leaves its entity running in the database; `sweep`, a periodic
 * sweep that releases them.
 */
export const CLAIM_REAPERS = ['none', 'sweep'] as const;

export type ClaimReaper = (typeof CLAIM_REAPERS)[number];
