import type { TraceValue } from '../../../sim/trace/Trace.ts';
import type { StoredMessage } from '../DurableStreamsService.ts';

/**
 * The body of a read of a JSON stream: one array of every value of the messages read, in order. Values that look
 * like state-protocol events (an object whose `headers` has a string `operation` or `control`) get the offset of
 * their message added as `headers.offset`, as the reference does, which is how `@durable-streams/state` learns the
 * offset of each change.
 */
export function jsonReadBody(messages: readonly StoredMessage[]): string {
  const values = messages.flatMap((message) => message.values.map((value) => withOffset(value, message.offset)));
  return `[${values.join(',')}]`;
}

/** The body of a read of a byte stream: the messages' bytes back to back, with nothing between them. */
export function bytesReadBody(messages: readonly StoredMessage[]): Uint8Array {
  const chunks = messages.map((message) => message.bytes ?? new Uint8Array(0));
  const body = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return body;
}

function withOffset(value: TraceValue, offset: string): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const headers = (value as { readonly headers?: unknown }).headers;
  if (!headers || typeof headers !== 'object') return JSON.stringify(value);
  const { operation, control } = headers as { readonly operation?: unknown; readonly control?: unknown };
  if (typeof operation !== 'string' && typeof control !== 'string') return JSON.stringify(value);
  // Spread, like the reference: `headers` keeps its place among the keys and `offset` goes last (or is replaced).
  return JSON.stringify({ ...value, headers: { ...headers, offset } });
}
