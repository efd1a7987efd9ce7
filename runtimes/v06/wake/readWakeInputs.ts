import type { StreamAck, WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import type { JsonValue, WakeInput } from '../../../protocol/entity/EntityHandler.ts';
import { readCatchUp } from '../streams/readCatchUp.ts';
import type { WakeEnvironment } from './WakeEnvironment.ts';

/** A wake's inputs and the acks that cover exactly them. */
export interface WakeInputs {
  readonly inputs: readonly WakeInput[];
  /** One per stream read: where its read ended. Streams without pending work are neither read nor acked. */
  readonly acks: readonly StreamAck[];
}

/** Reads, for each claimed stream with pending work, its items after the acked offset, up to its current end. */
export async function readWakeInputs(env: WakeEnvironment, wake: WakeNotification): Promise<WakeInputs> {
  const inputs: WakeInput[] = [];
  const acks: StreamAck[] = [];
  for (const claimed of wake.streams) {
    if (!claimed.has_pending) continue;
    const read = await readCatchUp(env.fetch, env.streamsBaseUrl, claimed.stream, claimed.acked_offset);
    for (const item of read.items) inputs.push({ stream: claimed.stream, offset: item.offset, value: item.value as JsonValue });
    acks.push({ stream: claimed.stream, offset: read.endOffset });
  }
  return { inputs, acks };
}
