import { TraceBuilder } from './handMadeTraces.ts';

/**
 * The inbox traces `lost-work` and `unacked-work` are judged on: the entity e1 (subscription `sub:e1`) with two
 * messages in its inbox, the handlers it ran and the acks the service applied.
 */
export const SUB = 'sub:e1';
export const INBOX = 'entities/e1/inbox';
export const O1 = '0000000000000000_0000000000000030';
export const O2 = '0000000000000000_0000000000000060';
export const message = (index: number) => ({ type: 'message', index });

/** The entity e1 exists and two messages landed in its inbox, at O1 and O2. */
export const twoMessages = (): TraceBuilder =>
  new TraceBuilder()
    .at(0, 'agents-server', 'entity-created', { entity: 'e1', type: 't', subscription: SUB, runner: 'r1', streams: [INBOX], wakeStream: 'runners/r1/wake' })
    .at(100, 'durable-streams', 'linked-append', { subscriptions: [SUB], stream: INBOX, offset: O1, item: message(0) })
    .at(200, 'durable-streams', 'linked-append', { subscriptions: [SUB], stream: INBOX, offset: O2, item: message(1) });

/** A handler of e1 in host#1 was given these messages. */
export const handled = (trace: TraceBuilder, atMs: number, ...indexes: number[]): TraceBuilder =>
  trace.at(atMs, 'host#1', 'handler-start', { entity: 'e1', wakeId: `w${atMs}`, inputs: indexes.map((index) => ({ stream: INBOX, offset: O2, item: message(index) })) });

/** The service applied an ack of e1's inbox to `offset`. */
export const acked = (trace: TraceBuilder, atMs: number, offset: string): TraceBuilder =>
  trace.at(atMs, 'durable-streams', 'acks-applied', { subscription: SUB, generation: 1, acks: [{ stream: INBOX, offset }] });
