/** A unit of simulated work waiting for its virtual time: an I/O completion, a timer, a fault. */
export interface Task {
  /** Creation order; breaks ties so that option 0 among simultaneous tasks is the one scheduled first. */
  readonly id: number;
  readonly dueAtMs: number;
  /** Who the work belongs to (a process, a service); shown in traces and in hang reports. */
  readonly actor: string;
  /** What the work is, for people: `deliver claim response`, `timer heartbeat`. */
  readonly label: string;
  readonly run: () => void;
}

/** What {@link Scheduler.schedule} hands back: enough to cancel the task and nothing more. */
export interface TaskHandle {
  readonly id: number;
}
