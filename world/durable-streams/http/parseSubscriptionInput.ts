import {
  DEFAULT_LEASE_TTL_MS,
  MAX_LEASE_TTL_MS,
  MIN_LEASE_TTL_MS,
  normalizeStreamName,
  type SubscriptionInput,
} from '../ReferenceSubscriptions.ts';

/**
 * Validates and normalizes the JSON body of a subscription create, with the reference's checks in its order and its
 * messages (each a 400 `INVALID_REQUEST`). Names lose their leading and trailing slashes; a missing lease defaults
 * to 30 s.
 */
export function parseSubscriptionInput(value: unknown): { readonly input: SubscriptionInput } | { readonly error: string } {
  if (!value || typeof value !== 'object') return { error: 'Request body must be a JSON object' };
  const payload = value as Record<string, unknown>;
  if (payload.type !== 'webhook' && payload.type !== 'pull-wake') return { error: 'type must be "webhook" or "pull-wake"' };
  const type = payload.type;
  const pattern = typeof payload.pattern === 'string' && payload.pattern.length > 0 ? normalizeStreamName(payload.pattern) : undefined;
  const streams =
    Array.isArray(payload.streams) && payload.streams.length > 0
      ? payload.streams.map((stream: unknown) => (typeof stream === 'string' ? normalizeStreamName(stream) : null))
      : [];
  if (streams.some((stream) => stream === null)) return { error: 'streams must contain only strings' };
  if (!pattern && streams.length === 0) return { error: 'At least one of pattern or streams is required' };
  const leaseTtlMs = payload.lease_ttl_ms === undefined ? DEFAULT_LEASE_TTL_MS : payload.lease_ttl_ms;
  if (typeof leaseTtlMs !== 'number' || !Number.isInteger(leaseTtlMs) || leaseTtlMs < MIN_LEASE_TTL_MS || leaseTtlMs > MAX_LEASE_TTL_MS) {
    return { error: 'lease_ttl_ms must be an integer from 1000 to 600000' };
  }
  let webhookUrl: string | undefined;
  if (type === 'webhook') {
    const webhook = payload.webhook;
    const url = webhook && typeof webhook === 'object' ? (webhook as { url?: unknown }).url : undefined;
    if (typeof url !== 'string' || url.length === 0) return { error: 'webhook subscriptions require webhook.url' };
    webhookUrl = url;
  }
  const wakeStream =
    typeof payload.wake_stream === 'string' && payload.wake_stream.length > 0 ? normalizeStreamName(payload.wake_stream) : undefined;
  if (type === 'pull-wake' && !wakeStream) return { error: 'pull-wake subscriptions require wake_stream' };
  return {
    input: {
      type,
      pattern,
      streams: streams as string[],
      webhookUrl,
      wakeStream,
      leaseTtlMs,
      description: typeof payload.description === 'string' ? payload.description : undefined,
    },
  };
}
