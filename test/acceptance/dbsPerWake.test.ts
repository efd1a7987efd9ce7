import { describe, expect, it } from 'vitest';
import type { HandlerContext, SharedStateHandle, StateRow } from '../../protocol/entity/EntityHandler.ts';
import { digestHandler, replyKey } from '../../scenarios/daily-digest/digestEntity.ts';
import { dailyDigestScenario } from '../../scenarios/daily-digest/dailyDigestScenario.ts';
import { ConfigError } from '../../scenarios/config/SwitchValues.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { BOTH_FIXES, FIXED, digestSpec } from './helpers.ts';

/** One day and one message at 120 s, no faults (choices: days - 1, message count, message time). */
const ONE_DAY_ONE_MESSAGE = [0, 1, 120_000];

/** A wired handle over `rows`, or an unwired one (no collection), as `observe` resolves them. */
function handle(id: string, rows: StateRow[] | undefined): SharedStateHandle & { readonly inserted: StateRow[] } {
  const inserted: StateRow[] = [];
  const collection = rows && { has: (key: string) => rows.some((row) => row.key === key), get: (key: string) => rows.find((row) => row.key === key)?.value, toArray: () => [...rows] };
  return { id, mode: 'connect', __electricCollection: collection, toArray: () => [...(rows ?? [])], insert: async (row) => void inserted.push(row), inserted };
}

/** Runs the digest entity's code once, for a wake that gives it inbox message 0 before any day is due. */
async function wakeWithMessage(replies: ReturnType<typeof handle>): Promise<string[]> {
  const posts: string[] = [];
  const handler = digestHandler(
    { entity: 'digest-1', inbox: 'entities/digest-1/inbox', sharedId: 'digest-log', replyLogId: 'reply-log', schedule: { name: 'daily-digest', firstDueAtMs: 60_000, periodMs: 300_000, count: 1 }, idempotency: 'raw-collection' },
    { post: async (action) => void posts.push(action), probe: () => {}, nowMs: () => 0 },
  );
  const ctx: HandlerContext = {
    entity: 'digest-1',
    wakeId: 'w1',
    inputs: [{ stream: 'entities/digest-1/inbox', offset: '0_1', value: { type: 'message', index: 0 } }],
    observe: async (source) => (source.id === 'reply-log' ? replies : handle(source.id, [])),
  };
  await handler(ctx);
  return posts;
}

describe('--dbs-per-wake 2: the digest entity observes a reply log beside its digest log', () => {
  it('answers a message its reply log has no row for, then records the reply there', async () => {
    const replies = handle('reply-log', []);
    expect(await wakeWithMessage(replies)).toEqual(['reply:0']);
    expect(replies.inserted).toEqual([{ key: replyKey(0), value: { message: 0 } }]);
  });

  it('does not answer a message its reply log already holds', async () => {
    const replies = handle('reply-log', [{ key: replyKey(0), value: { message: 0 } }]);
    expect(await wakeWithMessage(replies)).toEqual([]);
  });

  it('answers again when the reply log is unwired and its check is the raw collection (the #4625 shape, for replies)', async () => {
    expect(await wakeWithMessage(handle('reply-log', undefined))).toEqual(['reply:0']);
  });

  it('a run wires both handles in order, answers once and records the reply; model-conformance is said not to be judged', async () => {
    const spec = digestSpec({ ...FIXED, 'dbs-per-wake': '2' }, []);
    const result = await runScenario(spec, new RecordedChoiceSource(ONE_DAY_ONE_MESSAGE), { dropAnnotations: true });
    expect(result.violations).toEqual([]);
    const resolved = result.events.filter((event) => event.kind === 'observe-resolved').map((event) => `${String(event.detail['sharedId'])}:${String(event.detail['wired'])}`);
    expect(resolved.slice(0, 2)).toEqual(['digest-log:true', 'reply-log:true']);
    expect(result.events.filter((event) => event.kind === 'reply-recorded').map((event) => event.detail['message'])).toEqual([0]);
    expect(dailyDigestScenario.propertiesNotJudged!(spec.config).map((notJudged) => notJudged.property)).toEqual(['model-conformance']);
  });

  it('at its default the world has no reply log and the run-start record does not name the switch', async () => {
    const spec = digestSpec(BOTH_FIXES, []);
    expect(spec.config['dbs-per-wake']).toBe('1');
    const result = await runScenario(spec, new RecordedChoiceSource(ONE_DAY_ONE_MESSAGE));
    expect(JSON.stringify(result.events.find((event) => event.kind === 'run-start')?.detail)).not.toContain('dbs-per-wake');
    expect(JSON.stringify(result.events)).not.toContain('reply-log');
    expect(dailyDigestScenario.propertiesNotJudged!(spec.config)).toEqual([]);
  });

  it('refuses a count it does not know, with the allowed values', () => {
    expect(() => digestSpec({ 'dbs-per-wake': '3' })).toThrow(ConfigError);
    expect(() => digestSpec({ 'dbs-per-wake': '3' })).toThrow(/allowed: 1, 2/);
  });
});
