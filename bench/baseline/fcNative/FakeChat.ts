import type { FakeAnswer } from './FakeStreams.ts';

/**
 * The chat the entity posts its digests to: counts every post by action (`digest:0`, `reply:2`). The property reads
 * {@link duplicates}: an action posted more than once.
 */
export class FakeChat {
  private readonly posts = new Map<string, number>();

  handle(method: string, path: string, body: string | undefined): FakeAnswer {
    if (method !== 'POST' || !/^\/channels\/[^/]+\/messages$/.test(path)) return { status: 404, headers: {}, body: 'not found' };
    const action = String((JSON.parse(body ?? '{}') as { action?: unknown }).action);
    this.posts.set(action, (this.posts.get(action) ?? 0) + 1);
    return { status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: `m${this.posts.size}` }) };
  }

  /** Actions posted twice or more, in the order they were first posted. */
  duplicates(): string[] {
    return [...this.posts].filter(([, count]) => count > 1).map(([action]) => action);
  }

  /** Every post so far, by action. */
  counts(): ReadonlyMap<string, number> {
    return this.posts;
  }
}
