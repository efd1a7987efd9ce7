/**
 * The system under test: a bank's transfer, written as ordinary async code against a key-value store. It knows
 * nothing of the simulator. Its defect is the classic lost update: it reads both balances, then writes both, so two
 * transfers from the same account that overlap each write a balance computed from the same old value.
 */

/** What the bank needs of its storage. */
export interface BalanceStore {
  read(account: string): Promise<number>;
  write(account: string, balanceCents: number): Promise<void>;
}

/** One transfer of money between two accounts. */
export interface Transfer {
  readonly from: string;
  readonly to: string;
  readonly amountCents: number;
}

/** Read, compute, write: correct alone, a lost update when two overlap on an account. */
export async function transfer(store: BalanceStore, { from, to, amountCents }: Transfer): Promise<void> {
  const fromBalanceCents = await store.read(from);
  const toBalanceCents = await store.read(to);
  await store.write(from, fromBalanceCents - amountCents);
  await store.write(to, toBalanceCents + amountCents);
}

/**
 * The fix: one queue per bank that every transfer passes through, so no two transfers are ever between their reads
 * and their writes at once. Returns the function that runs a piece of work in turn.
 */
export function transferQueue(): (work: () => Promise<void>) => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  return (work) => {
    const done = tail.then(work);
    tail = done.catch(() => {});
    return done;
  };
}
