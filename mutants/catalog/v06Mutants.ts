import type { Mutant } from '../Mutant.ts';

const RUNNER = 'runtimes/v06/runner/WakeRunner.ts';
const PROCESS_WAKE = 'runtimes/v06/wake/processWake.ts';

/** Planted defects in the v0.6 runtime, written to its own code (it shares nothing with v0.4). */
export const V06_MUTANTS: readonly Mutant[] = [
  {
    id: 'v06-settled-mark-off-by-one',
    runtime: 'v0.6',
    file: 'runtimes/v06/runner/SettledLowWaterMark.ts',
    search: 'this.open[0]!.unsettled === 0',
    replace: 'this.open[0]!.unsettled <= 1',
    description: 'the settled low-water mark passes a batch while one of its wakes is still unsettled',
    defectClass: 'off-by-one',
  },
  {
    id: 'v06-heartbeat-spacing-ignored',
    runtime: 'v0.6',
    file: 'runtimes/v06/heartbeat/HeartbeatPump.ts',
    search: 'const waitMs = Math.max(0, this.lastSentAtMs + this.timing.minSpacingMs - Date.now());',
    replace: 'const waitMs = 0;',
    description: 'an offset-change heartbeat goes out at once, ignoring the 2 s minimum spacing',
    defectClass: 'heartbeat',
  },
  {
    id: 'v06-no-final-heartbeat',
    runtime: 'v0.6',
    file: 'runtimes/v06/heartbeat/HeartbeatPump.ts',
    search: "    await this.send('stop');\n",
    replace: '',
    description: 'a stop ends the heartbeat timers but never sends the final heartbeat with the settled offset',
    defectClass: 'heartbeat',
  },
  {
    id: 'v06-abandoned-wake-acks-inputs',
    runtime: 'v0.6',
    file: PROCESS_WAKE,
    search: "    if (end === 'abandoned') acks = [];\n",
    replace: '',
    description: 'an abandoned wake acks the inputs it read although its handler never finished with them',
    defectClass: 'ack-before-work',
  },
  {
    id: 'v06-ack-at-claimed-offset',
    runtime: 'v0.6',
    file: 'runtimes/v06/wake/readWakeInputs.ts',
    search: 'acks.push({ stream: claimed.stream, offset: read.endOffset });',
    replace: 'acks.push({ stream: claimed.stream, offset: claimed.acked_offset });',
    description: 'the ack repeats the offset the claim listed instead of where the read ended',
    defectClass: 'resume-offset',
  },
  {
    id: 'v06-fifo-deferral-overwrites',
    runtime: 'v0.6',
    file: 'runtimes/v06/claims/FifoDeferral.ts',
    search: '    if (queue) queue.push(item);',
    replace: '    if (queue) queue[queue.length - 1] = item;',
    description: 'the deferral queue replaces its last event instead of appending: a deferred wake is lost',
    defectClass: 'lost-update',
  },
  {
    id: 'v06-claim-gate-left-open',
    runtime: 'v0.6',
    file: RUNNER,
    search: '    this.acceptingClaims = false;\n',
    replace: '',
    description: 'a stop does not close the claim gate: a claim answered during the stop is dispatched',
    defectClass: 'stop-handling',
  },
  {
    id: 'v06-registered-offset-ignored',
    runtime: 'v0.6',
    file: 'runtimes/v06/runner/V06Host.ts',
    search: '      return record.wake_stream_offset ?? BEGINNING_OFFSET;',
    replace: '      return BEGINNING_OFFSET;',
    description: 'offset=durable ignores the resume offset registration handed back and reads from -1',
    defectClass: 'resume-offset',
  },
];
