import { shortOffset } from '../../scenarios/reportNotation.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { shortWakeId } from './storyState.ts';

/** What a diagram message says of an exchange, and whether it is drawn as a failure. */
export interface ExchangeText {
  readonly text: string;
  readonly failed: boolean;
}

/**
 * A claim as the agents server answered it (`claim-answered`), with the runtime's account when it gave one
 * (`claim-settled`, `claim-failed`): `claim gen 1 granted (w1): dispatched`, `claim refused: LEASE_HELD (409)`,
 * `claim: no pending work (204)`. A failure when the server refused it or the runtime says it failed.
 */
export function claimAnswerText(answer: TraceEvent, account: TraceEvent | undefined): ExchangeText {
  const detail = answer.detail;
  const status = detail['status'];
  const code = detail['code'] === undefined ? '' : `${String(detail['code'])} `;
  const observed =
    status === 200
      ? `claim gen ${String(detail['generation'])} granted (${shortWakeId(String(detail['wakeId']))})`
      : status === 204
        ? 'claim: no pending work (204)'
        : `claim refused: ${code}(${String(status)})`;
  const refused = status !== 200 && status !== 204;
  if (account === undefined) return { text: observed, failed: refused };
  if (account.kind === 'claim-failed') return { text: `${observed}: failed: ${String(account.detail['error'])}`, failed: true };
  // The runtime claims for the wake it read; the server grants the subscription's current wake, which may be newer.
  const readGeneration = account.detail['generation'];
  const otherWake = status === 200 && readGeneration !== undefined && readGeneration !== detail['generation'] ? ` (read gen ${String(readGeneration)})` : '';
  return { text: `${observed}: ${String(account.detail['outcome'])}${otherWake}`, failed: refused };
}

/**
 * A done as the agents server received it (`done-received`), with the runtime's account when it gave one
 * (`wake-acked`, `ack-failed`): `done w1 gen 1 (200): completed`, `done w1 gen 1 refused: INVALID_WRITE_TOKEN (401)`.
 */
export function doneReceivedText(received: TraceEvent, account: TraceEvent | undefined): ExchangeText {
  const detail = received.detail;
  const wake = `done ${shortWakeId(String(detail['wakeId']))}${detail['generation'] === null || detail['generation'] === undefined ? '' : ` gen ${String(detail['generation'])}`}`;
  const accepted = detail['status'] === 200;
  const code = detail['code'] === undefined ? '' : `${String(detail['code'])} `;
  const next = detail['nextWake'] === true ? ', next wake' : '';
  const observed = accepted ? `${wake} (200${next})` : `${wake} refused: ${code}(${String(detail['status'])})${detail['claimReleased'] === true ? ', claim released' : ''}`;
  if (account === undefined) return { text: observed, failed: !accepted };
  if (account.kind === 'ack-failed') return { text: `${observed}: ack failed`, failed: true };
  return { text: `${observed}: ${String(account.detail['outcome'])}`, failed: !accepted };
}

/** The acks the Durable Streams service applied for a done (`acks-applied`): `acks gen 1: inbox@0_34`. */
export function acksAppliedText(applied: TraceEvent): string {
  const acks = Array.isArray(applied.detail['acks']) ? (applied.detail['acks'] as readonly Record<string, unknown>[]) : [];
  // The last segment names a stream well enough beside its subscription: `entities/digest-1/inbox` reads `inbox`.
  const listed = acks.map((ack) => `${String(ack['stream']).split('/').pop()}@${shortOffset(String(ack['offset']))}`);
  return `acks gen ${String(applied.detail['generation'])}: ${listed.length > 0 ? listed.join(', ') : 'none'}`;
}
