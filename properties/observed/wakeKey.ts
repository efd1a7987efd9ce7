import type { TraceValue } from '../../sim/trace/Trace.ts';

/** `sub:digest-1#2`: a wake named by its subscription and generation, unique within a run. */
export function wakeKey(detail: { readonly [key: string]: TraceValue }): string {
  return `${String(detail['subscription'])}#${String(detail['generation'])}`;
}

/** A runner's wake stream, as the world names it: `runners/<id>/wake`. */
export const WAKE_STREAM_PATTERN = /^runners\/[^/]+\/wake$/;
