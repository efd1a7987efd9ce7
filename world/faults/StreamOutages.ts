import { chooseInRange } from '../../sim/choice/ChoiceSource.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import type { FaultOptions } from './FaultOptions.ts';
import type { FaultDecision } from './PreloadFaults.ts';
import { isSharedStream } from './sharedStreams.ts';

/**
 * Long outages of shared streams (`stream-outage`): a read of a shared stream with no outage under way may start one,
 * and for the outage's drawn length, up to several claim leases, every catch-up read of that stream by any process
 * answers 404, as for a stream that is not ready. Cold is then a span of time, not one read: a wake that retries its
 * preload keeps failing until the outage is over, which can be after its lease ran out. Outages end when the run's
 * fault-free quiet period begins.
 */
export class StreamOutages {
  /** Shared stream name -> virtual time its outage ends. */
  private readonly endsAtMs = new Map<string, number>();

  constructor(
    private readonly sim: SimContext,
    private readonly options: FaultOptions,
    private readonly fires: FaultDecision,
    /** Whether faults may strike now (false in the quiet period). */
    private readonly active: () => boolean,
  ) {}

  /** True when this catch-up read of `stream` by `peer` fails because the stream is out (or goes out now). */
  strikes(peer: string, stream: string): boolean {
    if (!isSharedStream(stream) || !this.active()) return false;
    const nowMs = this.sim.scheduler.nowMs;
    if ((this.endsAtMs.get(stream) ?? -1) > nowMs) return true;
    if (!this.fires('stream-outage', this.options.streamOutagePercent, 'stream outage')) return false;
    const { streamOutageMinMs, streamOutageMaxMs } = this.options;
    const outageMs = chooseInRange(this.sim.choices, streamOutageMinMs, streamOutageMaxMs, 'stream outage length', { kind: 'range', fault: 'stream-outage' });
    this.endsAtMs.set(stream, nowMs + outageMs);
    this.sim.trace.record('durable-streams', 'fault', { kind: 'stream-outage', stream, reader: peer, outageMs });
    return true;
  }
}
