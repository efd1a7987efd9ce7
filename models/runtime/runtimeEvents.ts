import type { AnnotationVocabulary } from '../../protocol/host/AnnotationVocabulary.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import { namedWake, type NamedWake } from '../namedWake.ts';
import type { WakePositions } from '../../world/durable-streams/WakePositions.ts';
import { wakeKey } from '../../world/durable-streams/WakePositions.ts';

/** Runner lifecycle states as a runtime of the `runner-lifecycle` vocabulary reports them. */
export type ReportedRunnerState = 'connecting' | 'streaming' | 'reconnecting' | 'stopping' | 'stopped';

/**
 * The abstract events of the runtime-internal models: what a runtime says about itself in the annotation vocabularies
 * it declares (protocol/host/AnnotationVocabulary.ts). `process` names the host process that annotated.
 */
export type RuntimeEvent =
  // runner-lifecycle
  | {
      readonly type: 'RUNNER_START';
      readonly process: string;
      readonly start: 'beginning' | 'tail' | 'registered';
      readonly startOffset: string;
      readonly registered: boolean;
    }
  | { readonly type: 'RUNNER_STATE'; readonly process: string; readonly state: ReportedRunnerState }
  /** `offset`: where the wake sits in the wake stream (as the service appended it), not what the reader reported. */
  | { readonly type: 'WAKE_READ'; readonly process: string; readonly offset: string }
  | { readonly type: 'CLAIM_SETTLED'; readonly process: string; readonly offset: string; readonly dispatched: boolean }
  // wiring-chain
  | { readonly type: 'WAKE_START'; readonly process: string; readonly wakeId: string }
  // The wiring steps name their wake when the runtime says which (`wakeId` in the annotation): a wake that lingers
  // after its lease beside the next one is then followed exactly; without it the composed model guesses.
  | ({ readonly type: 'OBSERVE'; readonly process: string; readonly created: boolean } & NamedWake)
  | ({ readonly type: 'PRELOAD_FAILED'; readonly process: string; readonly restored: boolean } & NamedWake)
  | ({ readonly type: 'HANDLE_WIRED'; readonly process: string; readonly restored: boolean; readonly empty: boolean } & NamedWake)
  | ({ readonly type: 'WIRING_FAILED'; readonly process: string } & NamedWake)
  | ({ readonly type: 'MANIFEST_COMMITTED'; readonly process: string } & NamedWake)
  | { readonly type: 'WAKE_FAILED'; readonly process: string; readonly wakeId: string }
  | { readonly type: 'WAKE_ACKED'; readonly process: string; readonly wakeId: string }
  | { readonly type: 'WAKE_ACK_FAILED'; readonly process: string; readonly wakeId: string }
  | { readonly type: 'WAKE_ABANDONED'; readonly process: string; readonly wakeId: string }
  /** The wake lost its claim (a renewal refused, or its own deadline): said before it acts on it. */
  | { readonly type: 'CLAIM_LOST'; readonly process: string; readonly wakeId: string };

/** The vocabulary each annotation kind belongs to. */
export const ANNOTATION_KINDS: Readonly<Record<string, AnnotationVocabulary>> = {
  'runner-start': 'runner-lifecycle',
  'runner-state': 'runner-lifecycle',
  'wake-read': 'runner-lifecycle',
  'claim-settled': 'runner-lifecycle',
  'wake-start': 'wiring-chain',
  'observe-called': 'wiring-chain',
  'preload-failed': 'wiring-chain',
  'handle-wired': 'wiring-chain',
  'wiring-failed': 'wiring-chain',
  'manifest-committed': 'wiring-chain',
  'wake-failed': 'wiring-chain',
  'wake-acked': 'wiring-chain',
  'ack-failed': 'wiring-chain',
  'wake-abandoned': 'wiring-chain',
  'lease-lost': 'wiring-chain',
};

/** Where the wake an annotation names was appended, or a position no append has (a function, not a closure per event). */
function positionOf(positions: WakePositions, detail: TraceEvent['detail']): string {
  return positions.positionOf(detail) ?? `never appended: ${wakeKey(detail)}`;
}

/**
 * The runtime event for one annotation of a declared vocabulary, or undefined (an observation, an annotation outside
 * the declared vocabularies, or one the models do not follow). A wake the runtime names (subscription and generation)
 * gets its position from `positions`: in the library tier the reader knows only its batch's end offset, which several
 * wakes share. A wake the service never appended gets a position no append has, for the models to refuse.
 */
export function translateAnnotation(event: TraceEvent, vocabularies: ReadonlySet<AnnotationVocabulary>, positions: WakePositions): RuntimeEvent | undefined {
  if (!event.annotation) return undefined;
  const vocabulary = ANNOTATION_KINDS[event.kind];
  if (vocabulary === undefined || !vocabularies.has(vocabulary)) return undefined;
  const detail = event.detail;
  const process = event.actor;
  const wakeId = String(detail['wakeId']);
  switch (event.kind) {
    case 'runner-start': {
      const startOffset = String(detail['startOffset']);
      const start = startOffset === '-1' ? 'beginning' : startOffset === 'now' ? 'tail' : 'registered';
      return { type: 'RUNNER_START', process, start, startOffset, registered: detail['registeredOffset'] !== null };
    }
    case 'runner-state':
      return { type: 'RUNNER_STATE', process, state: detail['state'] as ReportedRunnerState };
    case 'wake-read':
      return { type: 'WAKE_READ', process, offset: positionOf(positions, detail) };
    case 'claim-settled':
      return { type: 'CLAIM_SETTLED', process, offset: positionOf(positions, detail), dispatched: detail['outcome'] === 'dispatched' };
    case 'wake-start':
      return { type: 'WAKE_START', process, wakeId };
    case 'observe-called':
      return { type: 'OBSERVE', process, created: detail['created'] === true, ...namedWake(detail) };
    case 'preload-failed':
      return { type: 'PRELOAD_FAILED', process, restored: detail['restored'] === true, ...namedWake(detail) };
    case 'handle-wired':
      return { type: 'HANDLE_WIRED', process, restored: detail['restored'] === true, empty: detail['empty'] === true, ...namedWake(detail) };
    case 'wiring-failed':
      return { type: 'WIRING_FAILED', process, ...namedWake(detail) };
    case 'manifest-committed':
      return { type: 'MANIFEST_COMMITTED', process, ...namedWake(detail) };
    case 'wake-failed':
      return { type: 'WAKE_FAILED', process, wakeId };
    case 'wake-acked':
      return { type: 'WAKE_ACKED', process, wakeId };
    case 'ack-failed':
      return { type: 'WAKE_ACK_FAILED', process, wakeId };
    case 'wake-abandoned':
      return { type: 'WAKE_ABANDONED', process, wakeId };
    case 'lease-lost':
      return { type: 'CLAIM_LOST', process, wakeId };
    default:
      return undefined;
  }
}
