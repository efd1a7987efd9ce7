/**
 * Which streams have a claim in flight or a wake running (upstream's `claimingStreamPaths` plus the router's
 * `isWakeActive`). A stream is keyed by the subscription its wake events name: the unit a claim claims.
 */
export class BusyStreams {
  private readonly claiming = new Map<string, number>();
  private readonly running = new Map<string, number>();

  isBusy(key: string): boolean {
    return (this.claiming.get(key) ?? 0) > 0 || (this.running.get(key) ?? 0) > 0;
  }

  claimStarted(key: string): void {
    bump(this.claiming, key, 1);
  }

  claimEnded(key: string): void {
    bump(this.claiming, key, -1);
  }

  wakeStarted(key: string): void {
    bump(this.running, key, 1);
  }

  wakeEnded(key: string): void {
    bump(this.running, key, -1);
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
