import { HandlerSpans } from './observed/handlerSpans.ts';
import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/** A row the entity's code recorded (its insert resolved), by the probe that said so. */
interface RecordedRow {
  readonly process: string;
  readonly atMs: number;
}

/** The probes of one kind of row: the check before acting and the record after it. */
const ROW_PROBES = [
  { check: 'idempotency-check', recorded: 'recorded', field: 'occurrence', name: 'digest' },
  { check: 'reply-check', recorded: 'reply-recorded', field: 'message', name: 'reply' },
] as const;

/**
 * Safety: a wake that began after its entity recorded a row finds that row: the state a handler reads through
 * `observe(db(...))` is never older than what the entity's own code was told it had written before the wake began.
 * Judged from the entity's own probes (scenario code: `recorded` when its insert resolved, `idempotency-check` with
 * the verdict its check gave, `handler-start` of its wakes), never from the runtime's report of itself.
 *
 * Only a check whose every open handler span of that entity in that process started strictly after the record is
 * judged: a wake that ran beside the recording one may have read before the write (that overlap is
 * `concurrent-wake`'s). A handle `observe` resolved unwired misses the row too: `unwired-resolve` names the cause,
 * this property the consequence, as a wired handle preloaded from a read it should not have trusted (a 404 taken for
 * an empty stream) shows it with no unwired handle at all — and a chat that deduplicates by key hides the repeated
 * post from `duplicate-action`.
 */
export function staleRead(history: RunHistory): Violation[] {
  const recorded = new Map<string, RecordedRow>();
  const spans = new HandlerSpans();
  const reported = new Set<string>();
  const violations: Violation[] = [];
  history.events.forEach((event, eventIndex) => {
    spans.observe(event);
    if (event.annotation) return;
    for (const probes of ROW_PROBES) {
      if (event.kind !== probes.recorded && event.kind !== probes.check) continue;
      const key = `${String(event.detail['entity'])} ${probes.name}:${String(event.detail[probes.field])}`;
      if (event.kind === probes.recorded && !recorded.has(key)) recorded.set(key, { process: event.actor, atMs: event.atMs });
      if (event.kind !== probes.check || event.detail['verdict'] !== 'not-posted') continue;
      const row = recorded.get(key);
      if (row === undefined || reported.has(key)) continue;
      const wakes = spans.openIn(event.actor).filter((span) => span.entity === event.detail['entity']);
      if (wakes.length === 0 || wakes.some((span) => span.startedAtMs <= row.atMs)) continue;
      reported.add(key);
      const wake = wakes[0]!;
      violations.push({
        property: 'stale-read',
        message: `${key} not found by wake ${wake.wakeId} in ${event.actor} (started at ${wake.startedAtMs} ms), though ${row.process} recorded it at ${row.atMs} ms`,
        step: event.step,
        atMs: event.atMs,
        eventIndex,
      });
    }
  });
  return violations;
}
