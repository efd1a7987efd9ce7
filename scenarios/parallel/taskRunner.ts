import Tinypool from 'tinypool';
import { registrationModules } from '../registry/registrationModules.ts';
import { runTask, type Task, type TaskResult } from './tasks.ts';

/** Largest `--workers` accepted. */
export const MAX_WORKERS = 64;

/**
 * Runs tasks of a scaled-out search: in this thread one after the other, or in a pool of worker threads.
 * `concurrency` is how many tasks it is worth having in flight at once.
 */
export interface TaskRunner {
  readonly workers: number;
  readonly concurrency: number;
  run<T extends Task>(task: T): Promise<TaskResult<T>>;
  /** Stops the workers (a no-op in this thread). */
  close(): Promise<void>;
}

/** Tasks in flight per worker: one running and one queued, so a worker never waits for the main thread. */
const TASKS_IN_FLIGHT_PER_WORKER = 2;

/** Tasks run in this thread, awaited one after the other (simulated runs must not overlap in a thread). */
export function inThisThread(): TaskRunner {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    workers: 1,
    concurrency: 1,
    run<T extends Task>(task: T): Promise<TaskResult<T>> {
      const result = queue.then(() => runTask(task)) as Promise<TaskResult<T>>;
      queue = result.catch(() => undefined);
      return result;
    },
    close: async () => {},
  };
}

/**
 * A pool of `workers` worker threads (tinypool). Each worker loads the simulator once (worker.mjs registers tsx) and
 * runs one task at a time; runs inside a worker are awaited one after the other like in the main thread.
 */
export function workerPool(workers: number): TaskRunner {
  const pool = new Tinypool({
    filename: new URL('./worker.mjs', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    // Not the parent's flags: see worker.mjs.
    execArgv: [],
    isolateWorkers: false,
    // The user's runtimes and scenarios: worker.mjs imports these modules before it runs a task.
    workerData: { registrationModules: registrationModules() },
  });
  return {
    workers,
    concurrency: workers * TASKS_IN_FLIGHT_PER_WORKER,
    run: <T extends Task>(task: T) => pool.run(task) as Promise<TaskResult<T>>,
    close: () => pool.destroy(),
  };
}

/** This thread for one worker, a pool for more. */
export function openTaskRunner(workers: number): TaskRunner {
  return workers <= 1 ? inThisThread() : workerPool(workers);
}

