import type { EntityHandler, WakeInput } from '../../protocol/entity/EntityHandler.ts';
import { inboxMessages, replyAction } from './digestEntity.ts';

/** What a child entity does to the outside world. */
export interface ChildEntityIo {
  /** Posts to the chat channel; `action` names the side effect (`reply:0`). */
  post(action: string, text: string): Promise<void>;
}

/**
 * A spawned child: it answers each message of its inbox with a reply post (`reply:<index>`) and is done; its run
 * finishing is what wakes its parent (`wake: runFinished`).
 */
export function childHandler(inbox: string, io: ChildEntityIo): EntityHandler {
  return async (ctx) => {
    for (const message of inboxMessages(ctx.inputs, inbox)) await io.post(replyAction(message.index), `reply to message ${message.index}`);
  };
}

/** A child's run that finished, as a `runFinished` wake row among the parent's inputs says. */
export interface ChildCompletion {
  readonly child: string;
  readonly run: string;
}

/**
 * The `runFinished` rows among a wake's inputs, in input order: from the parent's runs stream, or, under
 * `run-finished-delivery=wake-stream`, the payloads of the wake rows the runtime gave with the wake.
 */
export function childCompletions(inputs: readonly WakeInput[]): ChildCompletion[] {
  return inputs.flatMap((input) => {
    const value = input.value as { readonly type?: unknown; readonly kind?: unknown; readonly child?: unknown; readonly run?: unknown } | null;
    return value?.type === 'wake' && value.kind === 'run-finished' && typeof value.child === 'string' && typeof value.run === 'string'
      ? [{ child: value.child, run: value.run }]
      : [];
  });
}

/** The chat action by which a parent records that a child's run finished (once per child run). */
export const childDoneAction = ({ child, run }: ChildCompletion): string => `child-done:${child}:${run}`;
