import { fromPromise } from 'xstate';
import type { AgentsClient, ClaimAnswer } from '../agents/AgentsClient.ts';

/** What one claim actor needs: who claims, and which subscription a wake event named. */
export interface ClaimInput {
  readonly agents: AgentsClient;
  readonly runnerId: string;
  readonly subscriptionId: string;
}

/**
 * One claim of one wake event, as an XState promise actor (the fix of B4(b): one actor per event, running
 * concurrently, so a long wake blocks nobody's claims). Stopping the actor aborts its request.
 */
export const claimActor = fromPromise<ClaimAnswer, ClaimInput>(({ input, signal }) => input.agents.claim(input.runnerId, input.subscriptionId, signal));
