import { runCommand, SideMemory, type Command, type Universe } from './commands.ts';
import type { FacadeSide } from './sides.ts';

/**
 * Everything a facade answered to a sequence, nothing masked: per request its label and status, headers (sorted by
 * name) and body text, or what it rejected with; then the virtual time and the timers left. Two facades given the
 * same sequence must produce equal transcripts: they mint tokens and wake ids from counters, never from chance.
 */
export interface ExactTranscript {
  readonly answers: readonly unknown[];
  readonly nowMs: number;
  readonly pending: number;
}

export async function exactTranscript(side: FacadeSide, commands: readonly Command[], universe: Universe): Promise<ExactTranscript> {
  const memory = new SideMemory();
  const answers: unknown[] = [];
  for (const cmd of commands) {
    for (const { label, raw } of await runCommand(cmd, side, memory, universe)) {
      const headers = [...raw.kind === 'response' ? raw.headers : []].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      answers.push([label, raw.kind === 'response' ? [raw.status, headers, new TextDecoder().decode(raw.body)] : String(raw.error)]);
    }
  }
  return { answers, nowMs: side.sim.scheduler.nowMs, pending: side.sim.scheduler.pendingCount };
}
