import type { SimContext } from '../../sim/run/SimContext.ts';
import type { TraceValue } from '../../sim/trace/Trace.ts';
import type { ReadFaults } from '../durable-streams/StreamsFrontEnd.ts';
import type { FaultKind } from './FaultKind.ts';
import type { FaultOptions } from './FaultOptions.ts';

/** Shared-state streams live under this name prefix; their cold reads are where preload faults strike. */
const SHARED_STREAM_PREFIX = 'shared/';

/** Decides whether a fault of `kind` fires at this point (the world's armed faults and the choice source). */
export type FaultDecision = (kind: FaultKind, percent: number, label: string) => boolean;

/**
 * The transient failures of a catch-up read of a shared-state stream (semantics.md §3): the service answers 404 as if
 * the stream were not created yet (`preload-not-found`), or a non-state item — a wake event of a subscription being
 * registered — lands in the batch before up-to-date (`preload-foreign-item`). Whether either happens is a choice,
 * likelier on a process's first read of that stream (a cold connection). Past the run's cap on preload faults a read
 * cannot fail and asks no question.
 */
export class PreloadFaults implements ReadFaults {
  /** Shared streams each process has read at least once: its warm connections. */
  private readonly warmReads = new Map<string, Set<string>>();
  private injected = 0;

  constructor(
    private readonly sim: SimContext,
    private readonly options: FaultOptions,
    private readonly fires: FaultDecision,
    /** Preload failures one run may inject at most; unlimited when absent. */
    private readonly maxPreloadFaults: number | undefined,
  ) {}

  draw(peer: string, stream: string): 'not-found' | 'foreign-item' | undefined {
    if (!stream.startsWith(SHARED_STREAM_PREFIX)) return undefined;
    const readers = this.warmReads.get(peer) ?? new Set<string>();
    const warm = readers.has(stream);
    readers.add(stream);
    this.warmReads.set(peer, readers);
    const { preloadFailureColdPercent, preloadFailureWarmPercent } = this.options;
    const percent = this.injected >= (this.maxPreloadFaults ?? Infinity) ? 0 : warm ? preloadFailureWarmPercent : preloadFailureColdPercent;
    for (const [kind, label, outcome] of [
      ['preload-not-found', 'preload 404', 'not-found'],
      ['preload-foreign-item', 'preload foreign item', 'foreign-item'],
    ] as const) {
      if (this.fires(kind, percent, label)) {
        this.injected += 1;
        this.sim.trace.record('durable-streams', 'fault', { kind, stream, reader: peer });
        return outcome;
      }
    }
    return undefined;
  }

  foreignItem(stream: string): TraceValue {
    return { type: 'wake', subscription_id: 'sub:registering', stream, generation: 1, ts: this.sim.scheduler.nowMs };
  }
}
