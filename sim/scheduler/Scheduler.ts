import type { ChoiceSource } from '../choice/ChoiceSource.ts';
import type { Task, TaskHandle } from './Task.ts';

/**
 * Pending tasks over virtual time. Each step advances the clock to the earliest due task and lets the choice source
 * pick among every task due at that instant, so simultaneous events interleave in every order the search asks for.
 * Reordering across instants comes from delays the world draws from the same choice source.
 */
export class Scheduler {
  private pending: Task[] = [];
  private nextTaskId = 0;
  private currentMs = 0;
  private stepsTaken = 0;
  /** Actors that are gone: work they still try to schedule never runs. */
  private readonly retired = new Set<string>();

  constructor(private readonly choices: ChoiceSource) {}

  /** Virtual time in milliseconds since the start of the run. */
  get nowMs(): number {
    return this.currentMs;
  }

  get steps(): number {
    return this.stepsTaken;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** A snapshot of pending tasks in due order, for hang reports. */
  pendingTasks(): readonly Task[] {
    return [...this.pending].sort(compareTasks);
  }

  schedule(delayMs: number, actor: string, label: string, run: () => void): TaskHandle {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) throw new Error(`invalid task delay ${delayMs} for ${label}`);
    if (this.retired.has(actor)) return { id: -1 };
    const task: Task = { id: this.nextTaskId++, dueAtMs: this.currentMs + delayMs, actor, label, run };
    this.pending.push(task);
    return { id: task.id };
  }

  /** Cancels a task that has not run yet; a no-op for a task that ran or was cancelled. */
  cancel(handle: TaskHandle): void {
    const index = this.pending.findIndex((task) => task.id === handle.id);
    if (index >= 0) this.pending.splice(index, 1);
  }

  /** Drops every pending task of one actor (a process that died takes its timers and I/O with it). */
  cancelActor(actor: string): void {
    this.pending = this.pending.filter((task) => task.actor !== actor);
  }

  /**
   * Drops every pending task of `actor` and every task it tries to schedule from now on: code of a dead process whose
   * continuations were already queued when it died may still try to set a timer, and that timer must never fire.
   */
  retireActor(actor: string): void {
    this.retired.add(actor);
    this.cancelActor(actor);
  }

  /** Earliest due time among pending tasks, or undefined when nothing is pending. */
  nextDueAtMs(): number | undefined {
    let earliest: number | undefined;
    for (const task of this.pending) if (earliest === undefined || task.dueAtMs < earliest) earliest = task.dueAtMs;
    return earliest;
  }

  /** The tasks due at the earliest pending instant, in option order: what the next {@link step} chooses among. */
  dueTasks(): readonly Task[] {
    const dueAtMs = this.nextDueAtMs();
    return dueAtMs === undefined ? [] : this.pending.filter((task) => task.dueAtMs === dueAtMs).sort(compareTasks);
  }

  /**
   * Runs one task: advances virtual time to the earliest due instant and runs the chosen task among those due
   * then, after telling `beforeRun` (so a trace shows the step before what the step caused). Returns the task, or
   * undefined when nothing is pending. The caller drains microtasks afterwards.
   */
  step(beforeRun?: (task: Task) => void): Task | undefined {
    // One pass finds the earliest instant and the first task due then; most steps have one, and need no array.
    const pending = this.pending;
    let dueAtMs = Infinity;
    let first = -1;
    let dueCount = 0;
    for (let index = 0; index < pending.length; index += 1) {
      const taskDueAtMs = pending[index]!.dueAtMs;
      if (taskDueAtMs < dueAtMs) {
        dueAtMs = taskDueAtMs;
        first = index;
        dueCount = 1;
      } else if (taskDueAtMs === dueAtMs) dueCount += 1;
    }
    if (first < 0) return undefined;
    let picked = pending[first]!;
    let pickedIndex = first;
    // A lone due task is a forced move: no choice is asked for (and none recorded).
    if (dueCount > 1) {
      const enabled = this.dueTasks();
      picked = enabled[this.choices.choose(enabled.length, 'pick task', { kind: 'task', keys: enabled.map(taskKey) })]!;
      pickedIndex = pending.indexOf(picked);
    }
    pending.splice(pickedIndex, 1);
    this.currentMs = dueAtMs;
    this.stepsTaken += 1;
    beforeRun?.(picked);
    picked.run();
    return picked;
  }
}

/**
 * The kind of task, for strategies that prioritise kinds of work (PCT): the actor and the label without the numbers
 * that make each instance unique, so the 3rd and the 4th delivery of the same message kind share a priority.
 */
function taskKey(task: Task): string {
  return `${task.actor}:${task.label.replace(/\d+/g, '#')}`;
}

function compareTasks(a: Task, b: Task): number {
  return a.dueAtMs - b.dueAtMs || a.id - b.id;
}
