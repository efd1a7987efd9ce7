// In your project: import { ... } from 'wake-sim/kernel';
import { runLoop, Scheduler, Trace, type ChoiceSource, type SimContext } from '../../api/kernel.ts';
import { transfer, transferQueue, type Transfer } from './bank.ts';
import { SimulatedStore } from './SimulatedStore.ts';

/** The accounts at the start of every run, in cents. */
const OPENING_BALANCES_CENTS: ReadonlyArray<readonly [string, number]> = [
  ['alice', 100_00],
  ['bob', 0],
  ['carol', 0],
];

/**
 * Alice pays two people, the second payment a few milliseconds after the first: a transfer of four fast requests is
 * over by then, so the two overlap only when a request of the first one is slow.
 */
const PAYMENTS: ReadonlyArray<{ readonly atMs: number; readonly transfer: Transfer }> = [
  { atMs: 0, transfer: { from: 'alice', to: 'bob', amountCents: 30_00 } },
  { atMs: 5, transfer: { from: 'alice', to: 'carol', amountCents: 50_00 } },
];

/** More than two transfers ever take; reaching it would mean the simulation itself went wrong. */
const RUN_BUDGET = { horizonMs: 60_000, maxSteps: 1_000 } as const;

/** `unsafe`: the bank as written; `serialised`: with the fix. */
export type BankVariant = 'unsafe' | 'serialised';

/** What one simulated run of the bank produced. */
export interface BankRun {
  readonly traceHash: string;
  /** The answers the run received: replaying them reproduces the run. */
  readonly choices: readonly number[];
  readonly finalBalancesCents: Readonly<Record<string, number>>;
  /** Why money was created or destroyed, or undefined when the books balance. */
  readonly violation: string | undefined;
}

/**
 * One run: each payment starts at its time (each as its own actor, over its own connection to the shared store), the
 * loop runs until nothing is left to do, and the property is judged: money is neither created nor destroyed.
 */
export async function runBank(variant: BankVariant, choices: ChoiceSource): Promise<BankRun> {
  const scheduler = new Scheduler(choices);
  const trace = new Trace(scheduler);
  const sim: SimContext = { scheduler, choices, trace };
  const balancesCents = new Map(OPENING_BALANCES_CENTS);
  const inTurn = transferQueue();
  PAYMENTS.forEach(({ atMs, transfer: request }, index) => {
    const client = `client-${index + 1}`;
    const store = new SimulatedStore(sim, client, balancesCents);
    const pay = (): Promise<void> => (variant === 'unsafe' ? transfer(store, request) : inTurn(() => transfer(store, request)));
    scheduler.schedule(atMs, client, `transfer ${request.amountCents} from ${request.from} to ${request.to}`, () => void pay());
  });
  await runLoop(scheduler, RUN_BUDGET, (task) => void trace.record(task.actor, 'step', { task: task.label }), undefined, trace);
  const finalBalancesCents = Object.fromEntries(balancesCents);
  const openingTotalCents = OPENING_BALANCES_CENTS.reduce((sum, [, cents]) => sum + cents, 0);
  const finalTotalCents = [...balancesCents.values()].reduce((sum, cents) => sum + cents, 0);
  const violation = finalTotalCents === openingTotalCents ? undefined : `money not conserved: ${openingTotalCents} cents at the start, ${finalTotalCents} at the end`;
  trace.record('bank', 'books', { ...finalBalancesCents, totalCents: finalTotalCents });
  return { traceHash: trace.hash(), choices: [...choices.recorded], finalBalancesCents, violation };
}
