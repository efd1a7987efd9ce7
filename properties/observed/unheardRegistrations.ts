import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { agentsRouteOf } from './agentsRoute.ts';

/**
 * Registrations their runner never heard of: the agents server registered a process (`runner-registered`), but the
 * network lost the answer (`lost-answer` on the registration route). The fault and the registration share an instant,
 * recorded in either order, so the whole trace is read first; the runner registers again. {@link isUnheard} asks it of
 * one `runner-registered` event.
 */
export class UnheardRegistrations {
  /** `<peer> <atMs>` of each registration answer the network lost. */
  private readonly lost = new Set<string>();

  constructor(events: readonly TraceEvent[]) {
    for (const event of events) {
      if (event.annotation || event.kind !== 'fault' || event.detail['kind'] !== 'lost-answer') continue;
      if (agentsRouteOf(String(event.detail['path']))?.route === 'register') this.lost.add(`${String(event.detail['peer'])} ${event.atMs}`);
    }
  }

  /** Whether the runner of the process `registered` (a `runner-registered` event) never learnt of that registration. */
  isUnheard(registered: TraceEvent): boolean {
    return this.lost.has(`${String(registered.detail['peer'])} ${registered.atMs}`);
  }
}
