import type { SimContext } from '../../sim/run/SimContext.ts';
import type { DurableStreamsService } from '../durable-streams/DurableStreamsService.ts';

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

/**
 * Appends one tick per occurrence to the cron stream when it falls due. Ticks are database-scheduled upstream, so
 * they survive agents-server restarts and never re-fire; the scheduler here is not tied to the server process.
 */
export function scheduleCronTicks(sim: SimContext, streams: DurableStreamsService, path: string, schedule: CronSchedule): void {
  streams.create(path);
  for (let tick = 0; tick < schedule.count; tick += 1) {
    const dueAtMs = occurrenceDueAtMs(schedule, tick);
    sim.scheduler.schedule(dueAtMs - sim.scheduler.nowMs, 'cron', `cron tick ${tick}`, () => {
      streams.append(path, { type: 'cron-tick', schedule: schedule.name, tick, due_at_ms: dueAtMs });
      sim.trace.record('cron', 'cron-tick', { schedule: schedule.name, tick });
    });
  }
}
