/** The names of one digest entity of the world and of what is its own: its cron stream and schedule, its shared DBs. */
export interface DigestEntityNames {
  readonly entity: string;
  /** Its cron stream, under the Durable Streams root. */
  readonly cronStream: string;
  /** Its cron schedule's name (ticks are told apart by schedule). */
  readonly scheduleName: string;
  readonly sharedId: string;
  /** Its reply log, the second shared DB it observes with `--dbs-per-wake 2`. */
  readonly replyLogId: string;
}

/**
 * The names of entity `index` (from 0): `digest-<index+1>`, with a cron stream, schedule and shared DB of its own. The
 * first keeps the names the one-entity world always had (`cron/daily-digest`, `digest-log`), so its runs are unchanged;
 * the others add `-<index+1>`. Each entity records its digests in a DB of its own, as each digest entity upstream
 * would create its own log (docs/modelling-choices.md).
 */
export function digestEntityNames(index: number): DigestEntityNames {
  const suffix = index === 0 ? '' : `-${index + 1}`;
  return { entity: `digest-${index + 1}`, cronStream: `cron/daily-digest${suffix}`, scheduleName: `daily-digest${suffix}`, sharedId: `digest-log${suffix}`, replyLogId: `reply-log${suffix}` };
}
