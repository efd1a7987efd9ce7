import type { SimContext } from '../../sim/run/SimContext.ts';
import type { ServiceEndpoint } from '../network/Network.ts';

/**
 * The outside world an entity acts on (a chat channel). Every post it receives is an external side effect, recorded
 * in the trace as `action-performed`: the ground truth of the duplicate- and missed-action oracles.
 */
export class ChatService implements ServiceEndpoint {
  readonly name = 'chat';
  readonly up = true;

  constructor(private readonly sim: SimContext) {}

  post(from: string, entity: string, occurrence: number): void {
    this.sim.trace.record(this.name, 'action-performed', { entity, occurrence, from });
  }
}
