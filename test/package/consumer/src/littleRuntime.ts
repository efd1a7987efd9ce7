// A runtime written outside wake-sim, against its public seam only (wake-sim/protocol): it registers its runner,
// follows its wake stream over HTTP, claims each wake, runs the entity's handler on the wake's new inputs, and acks.
// It uses the process's globals as any program would (setTimeout for its backoff); in a simulated run they are virtual.
import {
  AGENTS_ROUTES,
  asWakeEvent,
  BEGINNING_OFFSET,
  bearer,
  LIVE_PARAM,
  LONG_POLL,
  NEXT_OFFSET_HEADER,
  OFFSET_PARAM,
  streamPath,
  type DoneRequest,
  type HostContext,
  type JsonValue,
  type RunnerRecord,
  type RunningHost,
  type RuntimeUnderTest,
  type StreamAck,
  type WakeEvent,
  type WakeInput,
  type WakeNotification,
} from 'wake-sim/protocol';

/** Wait before trying a failed registration or read again. */
const RETRY_BACKOFF_MS = 1_000;

/**
 * `drain`: what a host does with the wake in flight when the platform asks it to stop (SIGTERM). `abandon` is the
 * planted defect: the host says it has stopped at once, the platform ends the process, and a wake whose handler already
 * posted is never acked — so it is delivered again, to the next process, which posts again.
 */
export const littleRuntime: RuntimeUnderTest = {
  name: 'little-runtime',
  summary: 'a small pull-wake runtime written outside wake-sim, with a planted duplicate on redeploy',
  switches: [
    {
      name: 'drain',
      values: ['abandon', 'finish'],
      defaultValue: 'abandon',
      summary: 'what a host does with the wake in flight when it is asked to stop',
      meanings: { abandon: 'stop at once; the wake in flight is never acked (planted defect)', finish: 'finish and ack the wake in flight, then stop' },
    },
  ],
  startHost: (host) => startHost(host),
};

function startHost(host: HostContext): RunningHost {
  let markStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  if (host.config['drain'] === 'abandon') host.signal.addEventListener('abort', () => markStopped(), { once: true });
  void followWakeStream(host).finally(() => markStopped());
  return { stopped };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function post(host: HostContext, url: string, body: unknown, writeToken?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (writeToken !== undefined) headers['authorization'] = bearer(writeToken);
  return host.fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function register(host: HostContext): Promise<RunnerRecord | undefined> {
  while (!host.signal.aborted) {
    try {
      const answer = await post(host, `${host.urls.agentsServer}${AGENTS_ROUTES.register()}`, { id: runnerId(host), label: host.env['RUNNER_LABEL'] ?? 'little' });
      if (answer.ok) return (await answer.json()) as RunnerRecord;
    } catch {
      // The connection failed: try again after the backoff.
    }
    await sleep(RETRY_BACKOFF_MS);
  }
  return undefined;
}

const runnerId = (host: HostContext): string => host.env['RUNNER_ID'] ?? 'runner-1';

/** Reads the wake stream from where registration says (from the beginning when it says nothing), then long-polls. */
async function followWakeStream(host: HostContext): Promise<void> {
  const record = await register(host);
  if (record === undefined) return;
  let offset = record.wake_stream_offset ?? BEGINNING_OFFSET;
  let live = false;
  while (!host.signal.aborted) {
    const query = `${OFFSET_PARAM}=${encodeURIComponent(offset)}${live ? `&${LIVE_PARAM}=${LONG_POLL}` : ''}`;
    let answer: Response;
    try {
      // Only the read is aborted by SIGTERM: a wake already claimed is the drain switch's business.
      answer = await host.fetch(`${host.urls.durableStreams}${streamPath(record.wake_stream)}?${query}`, { signal: host.signal });
    } catch {
      if (host.signal.aborted) return;
      await sleep(RETRY_BACKOFF_MS);
      continue;
    }
    if (answer.status === 200) {
      for (const item of (await answer.json()) as unknown[]) {
        const wake = asWakeEvent(item);
        if (wake !== undefined) await processWake(host, wake).catch(() => {});
        if (host.signal.aborted) return;
      }
    } else if (answer.status !== 204) {
      await sleep(RETRY_BACKOFF_MS);
      continue;
    }
    offset = answer.headers.get(NEXT_OFFSET_HEADER) ?? offset;
    live = true;
  }
}

/** Claim, read the new inputs, run the handler, ack what was read. A failed handler is acked too (no retries). */
async function processWake(host: HostContext, wake: WakeEvent): Promise<void> {
  const claim = await post(host, `${host.urls.agentsServer}${AGENTS_ROUTES.claim(runnerId(host))}`, { subscription_id: wake.subscription_id });
  // 204: nothing pending (an old wake read again); 409: another holder has it.
  if (claim.status !== 200) return;
  const notification = (await claim.json()) as WakeNotification;
  const inputs: WakeInput[] = [];
  const acks: StreamAck[] = [];
  for (const stream of notification.streams) {
    if (!stream.has_pending) continue;
    const read = await host.fetch(`${host.urls.durableStreams}${streamPath(stream.stream)}?${OFFSET_PARAM}=${encodeURIComponent(stream.acked_offset)}`);
    const nextOffset = read.headers.get(NEXT_OFFSET_HEADER) ?? stream.acked_offset;
    if (read.status === 200) for (const value of (await read.json()) as JsonValue[]) inputs.push({ stream: stream.stream, offset: nextOffset, value });
    acks.push({ stream: stream.stream, offset: nextOffset });
  }
  try {
    await host.handlers.get(notification.entity.type)?.({
      entity: notification.entity.id,
      wakeId: notification.wake_id,
      inputs,
      observe: () => Promise.reject(new Error('little-runtime has no shared state')),
    });
  } catch {
    // The handler's failure is its own; the wake is acked all the same.
  }
  const done: DoneRequest = { subscription_id: notification.subscription_id, generation: notification.generation, acks };
  await post(host, `${host.urls.agentsServer}${AGENTS_ROUTES.done(notification.wake_id)}`, done, notification.write_token);
}
