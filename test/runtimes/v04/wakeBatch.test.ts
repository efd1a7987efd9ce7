import { describe, expect, it } from 'vitest';
import { AGENTS_ROUTES, type WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import type { WakeInput } from '../../../protocol/entity/EntityHandler.ts';
import { streamPath } from '../../../protocol/streams/streamsProtocol.ts';
import type { WakeBatchMode } from '../../../runtimes/v04/config.ts';
import { processWake } from '../../../runtimes/v04/wake/processWake.ts';
import { formatOffset } from '../../../world/durable-streams/offsets.ts';
import { FakeHost, jsonAnswer, streamAnswer } from './fakeHost.ts';
import { settleInVirtualTime } from './virtualTime.ts';

const RUNS = 'entities/p1/runs';
const TAIL = formatOffset(90);
const WAKE: WakeNotification = {
  wake_id: 'w1',
  subscription_id: 'sub:p1',
  generation: 1,
  entity: { id: 'p1', type: 'parent' },
  streams: [{ stream: RUNS, acked_offset: '-1', tail_offset: TAIL, has_pending: true }],
  write_token: 'token-1',
  lease_ttl_ms: 5_000,
};
const ROWS = [
  { type: 'wake', kind: 'run-finished', child: 'c1', run: 'w7' },
  { type: 'note', text: 'not a wake row' },
  { type: 'wake', kind: 'run-finished', child: 'c2', run: 'w8' },
];

/** Runs one wake whose read of the runs stream answers {@link ROWS} at once; what the handler was given, and the done. */
async function wakeWith(wakeBatch: WakeBatchMode) {
  const host = new FakeHost({ config: { wakeBatch } })
    .on('GET', AGENTS_ROUTES.manifest('p1'), () => jsonAnswer(200, { rows: [] }))
    .on('POST', AGENTS_ROUTES.done('w1'), () => jsonAnswer(200, { next_wake: false }))
    .on('GET', streamPath(RUNS), () => streamAnswer(ROWS, TAIL));
  let given: readonly WakeInput[] = [];
  const { error } = await settleInVirtualTime(() =>
    processWake(host.environment(), WAKE, async (ctx) => {
      given = ctx.inputs;
    }, () => false),
  );
  if (error) throw error;
  const done = host.requests.find((request) => request.target === AGENTS_ROUTES.done('w1'));
  return { given: given.map((input) => input.value), acks: (JSON.parse(done!.body!) as { acks: unknown }).acks, host };
}

describe('wake-batch (B7): the wake rows of one read', () => {
  it('all (the fix): every row of the read is given, and the read is acked at its end', async () => {
    const { given, acks } = await wakeWith('all');
    expect(given).toEqual(ROWS);
    expect(acks).toEqual([{ stream: RUNS, offset: TAIL }]);
  });

  it('newest (the defect): only the newest wake row is given (other items stay), yet the ack covers the whole read', async () => {
    const { given, acks, host } = await wakeWith('newest');
    expect(given).toEqual([ROWS[1], ROWS[2]]);
    expect(acks).toEqual([{ stream: RUNS, offset: TAIL }]);
    expect(host.annotations).toContainEqual({ kind: 'wake-rows-dropped', detail: { wakeId: 'w1', stream: RUNS, dropped: 1 } });
  });
});
