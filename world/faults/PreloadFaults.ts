import type { SimContext } from '../../sim/run/SimContext.ts';
import type { TraceValue } from '../../sim/trace/Trace.ts';
import type { ReadFaults } from '../durable-streams/StreamsFrontEnd.ts';
import type { FaultKind } from './FaultKind.ts';
import type { FaultOptions } from './FaultOptions.ts';
import { isSharedStream } from './sharedStreams.ts';

/** Decides whether a fault of `kind` fires at this point (the world's armed faults and the choice source). */
export type FaultDecision = (kind: FaultKind, percent: number, label: string) => boolean;

/**
 * The transient failures of a catch-up read of a shared-state stream (semantics.md §3): the service answers 404 as if
 * the stream were not created yet (`preload-not-found`), or a non-state item — a wake event of a subscription being
 * registered — lands in the batch before up-to-date (`preload-foreign-item`). Whether either happens is a choice,
 * likelier while the reading process's connection to that stream is cold: from its first read until a read that no
 * fault failed. A cold connection is a span, not one read: a process whose reads keep failing stays cold (issue 14;
 * an earlier rule warmed it after its first read whatever the outcome, and so hid a retry loop outliving its lease).
 * Past the run's cap on preload faults a read cannot fail and asks no question.
 */
export class PreloadFaults implements ReadFaults {
  /** Shared streams each process has read without a fault: its warm connections. */
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
    if (!isSharedStream(stream)) return undefined;
    const readers = this.warmReads.get(peer) ?? new Set<string>();
    this.warmReads.set(peer, readers);
    const { preloadFailureColdPercent, preloadFailureWarmPercent } = this.options;
    const percent = this.injected >= (this.maxPreloadFaults ?? Infinity) ? 0 : readers.has(stream) ? preloadFailureWarmPercent : preloadFailureColdPercent;
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
    readers.add(stream);
    return undefined;
  }

  foreignItem(stream: string): TraceValue {
    return { type: 'wake', subscription_id: 'sub:registering', stream, generation: 1, ts: this.sim.scheduler.nowMs };
  }
}
