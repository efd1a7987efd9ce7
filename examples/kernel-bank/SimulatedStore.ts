// In your project: import { choosePercent, type SimContext } from 'wake-sim/kernel';
import { choosePercent, type SimContext } from '../../api/kernel.ts';
import type { BalanceStore } from './bank.ts';

/** How long a store request takes, in virtual milliseconds: usually fast, now and then slow. */
const FAST_LATENCY_MS = 1;
const SLOW_LATENCY_MS = 20;
/** Chance that a request is slow, in whole percent. */
const SLOW_PERCENT = 10;

/**
 * The simulated environment of the bank: a store whose every request is served after a latency, as a task on the
 * run's scheduler. Whether a request is slow is the run's choice (the ordinary answer: fast, so shrinking makes
 * requests fast again), and requests that fall due at the same instant run in the order the choice source picks. A
 * read answers the balance when it is served, a write changes it when it is served. Each is recorded in the trace.
 */
export class SimulatedStore implements BalanceStore {
  /** `balancesCents` is the store's state, shared by every client's connection; `client` names this connection. */
  constructor(
    private readonly sim: SimContext,
    private readonly client: string,
    private readonly balancesCents: Map<string, number>,
  ) {}

  read(account: string): Promise<number> {
    return this.request(`read ${account}`, () => {
      const balanceCents = this.balancesCents.get(account) ?? 0;
      this.sim.trace.record(this.client, 'read', { account, balanceCents });
      return balanceCents;
    });
  }

  write(account: string, balanceCents: number): Promise<void> {
    return this.request(`write ${account}`, () => {
      this.balancesCents.set(account, balanceCents);
      this.sim.trace.record(this.client, 'write', { account, balanceCents });
    });
  }

  private request<T>(label: string, serve: () => T): Promise<T> {
    const latencyMs = choosePercent(this.sim.choices, SLOW_PERCENT, `${this.client} ${label} slow`) ? SLOW_LATENCY_MS : FAST_LATENCY_MS;
    return new Promise((resolve) => this.sim.scheduler.schedule(latencyMs, this.client, label, () => resolve(serve())));
  }
}
