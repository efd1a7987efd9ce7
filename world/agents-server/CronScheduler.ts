import type { SimContext } from '../../sim/run/SimContext.ts';
import type { DurableStreamsService } from '../durable-streams/DurableStreamsService.ts';
import { SUBSCRIPTION_STREAM_ROOT } from '../durable-streams/ReferenceSubscriptions.ts';
import { worldInvariant } from '../WorldInvariantError.ts';

/** A schedule of occurrences: `count` ticks, `periodMs` apart, the first at `firstDueAtMs`. */
export interface CronSchedule {
  readonly name: string;
  readonly firstDueAtMs: number;
  readonly periodMs: number;
  readonly count: number;
}

/** The due time of occurrence `index` of a schedule. */
export function occurrenceDueAtMs(schedule: CronSchedule, index: number): number {
  return schedule.firstDueAtMs + index * schedule.periodMs;
}

/** The actor of the cron scheduler's observations. */
export const CRON = 'cron';

/**
 * Appends one tick per occurrence to the cron stream when it falls due, and observes each append (`cron-tick`: the
 * schedule, the tick, the stream and the offset after it). Ticks are database-scheduled upstream, so they survive
 * agents-server restarts and never re-fire; the scheduler here is not tied to the server process. A tick appended a
 * second time (to any schedule's stream) is a broken world: it throws a {@link WorldInvariantError}.
 */
export function scheduleCronTicks(sim: SimContext, streams: DurableStreamsService, path: string, schedule: CronSchedule): void {
  streams.create(path);
  const stream = path.startsWith(SUBSCRIPTION_STREAM_ROOT) ? path.slice(SUBSCRIPTION_STREAM_ROOT.length) : path;
  const appended = appendedTicks(sim);
  for (let tick = 0; tick < schedule.count; tick += 1) {
    const dueAtMs = occurrenceDueAtMs(schedule, tick);
    sim.scheduler.schedule(dueAtMs - sim.scheduler.nowMs, CRON, `cron tick ${tick}`, () => {
      const key = `${schedule.name}#${tick}`;
      worldInvariant(!appended.has(key), CRON, () => `tick ${tick} of ${schedule.name} appended a second time`);
      appended.add(key);
      const offset = streams.append(path, { type: 'cron-tick', schedule: schedule.name, tick, due_at_ms: dueAtMs });
      sim.trace.record(CRON, 'cron-tick', { schedule: schedule.name, tick, stream, offset });
    });
  }
}

/** The ticks appended in one run, by `schedule#tick`: the cron's database table of fired ticks. */
const firedTicks = new WeakMap<SimContext, Set<string>>();

function appendedTicks(sim: SimContext): Set<string> {
  let fired = firedTicks.get(sim);
  if (!fired) {
    fired = new Set();
    firedTicks.set(sim, fired);
  }
  return fired;
}
