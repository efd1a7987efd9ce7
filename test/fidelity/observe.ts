import type { Raw } from './sides.ts';

/** An answer with everything that legitimately differs between the two servers masked (docs/fidelity.md). */
export type Observation =
  | { readonly kind: 'response'; readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string }
  | { readonly kind: 'rejected'; readonly error: string };

/** Added by Node's HTTP stack on the wire, not by the server's logic; a `Response` built in process has none. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

const WAKE_ID = /^w_[0-9a-f]{24}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Masks what each server mints on its own: `Location`'s origin, the long-poll cursor (wall clock and random jitter in
 * the reference), claim tokens, wake ids, wake-event timestamps and `created_at`, after checking each has the
 * reference's shape. Everything else, offsets and ETags included, is compared verbatim. JSON bodies are re-serialized
 * after masking, which keeps their key order.
 */
export function observe(raw: Raw, origin: string): Observation {
  if (raw.kind === 'rejected') {
    return { kind: 'rejected', error: raw.error instanceof Error || raw.error instanceof DOMException ? raw.error.name : String(raw.error) };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of [...raw.headers].sort(([a], [b]) => a.localeCompare(b))) {
    if (TRANSPORT_HEADERS.has(name)) continue;
    if (name === 'location') headers[name] = value.startsWith(origin) ? `<origin>${value.slice(origin.length)}` : value;
    else if (name === 'stream-cursor') headers[name] = /^\d+$/.test(value) ? '<cursor>' : `bad cursor ${value}`;
    else headers[name] = value;
  }
  const type = raw.headers.get('content-type') ?? '';
  const text = new TextDecoder().decode(raw.body);
  let body = type.startsWith('text/') || type.includes('json') || raw.body.length === 0 ? text : `base64:${Buffer.from(raw.body).toString('base64')}`;
  if (type.includes('json') && text.length > 0) {
    try {
      body = JSON.stringify(mask(JSON.parse(text)));
    } catch {
      // Not JSON after all: compared as text.
    }
  }
  return { kind: 'response', status: raw.status, headers, body };
}

function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (!value || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const isWakeEvent = object.type === 'wake' && 'subscription_id' in object && 'ts' in object;
  const masked: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(object)) {
    if (key === 'token' && typeof entry === 'string') masked[key] = entry.length > 0 ? '<token>' : 'empty token';
    else if (key === 'wake_id' && typeof entry === 'string') masked[key] = WAKE_ID.test(entry) ? '<wake_id>' : `bad wake_id ${entry}`;
    else if (key === 'created_at' && typeof entry === 'string') masked[key] = ISO_TIME.test(entry) ? '<created_at>' : `bad time ${entry}`;
    else if (key === 'ts' && isWakeEvent) masked[key] = typeof entry === 'number' && String(entry).length === 13 ? '<ts>' : `bad ts ${String(entry)}`;
    else if (key === 'keys' && Array.isArray(entry)) masked[key] = '<jwks keys>';
    else masked[key] = mask(entry);
  }
  return masked;
}
