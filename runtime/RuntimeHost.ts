import type { RuntimeConfig } from './config.ts';
import { describeError } from './errors.ts';
import type { RuntimeEnvironment } from './ports.ts';
import { PullWakeRunner, type InFlightWork } from './runner/PullWakeRunner.ts';
import { RUNTIME_TIMING } from './timing.ts';
import type { EntityHandler } from './wake/HandlerContext.ts';
import { BEGINNING_OFFSET, TAIL_OFFSET } from '../world/durable-streams/offsets.ts';

/** Identity of the runner a host process runs. */
export interface RuntimeHostOptions {
  readonly runnerId: string;
  readonly label: string;
  readonly wakeStream: string;
  readonly handlers: ReadonlyMap<string, EntityHandler>;
}

/**
 * One host process of the agents runtime: registers its runner with the agents server and builds a *new* runner
 * with `offset = registered.wake_stream_offset ?? '-1'` (or `now` with `offset=tail`). Every host start is a cold
 * start: nothing survives in memory from the previous process.
 */
export class RuntimeHost {
  private runner: PullWakeRunner | undefined;
  private stopRequested = false;

  constructor(
    private readonly env: RuntimeEnvironment,
    private readonly config: RuntimeConfig,
    private readonly options: RuntimeHostOptions,
  ) {}

  async start(): Promise<void> {
    const { runnerId, label, wakeStream } = this.options;
    for (;;) {
      try {
        const record = await this.env.agents.register(runnerId, label, wakeStream);
        if (this.stopRequested) return;
        const startOffset = this.config.offset === 'tail' ? TAIL_OFFSET : (record.wake_stream_offset ?? BEGINNING_OFFSET);
        this.env.emit('runner-start', { runnerId, startOffset, registeredOffset: record.wake_stream_offset ?? null });
        this.runner = new PullWakeRunner(this.env, this.config, { runnerId, wakeStream: record.wake_stream, startOffset, handlers: this.options.handlers });
        this.runner.start();
        return;
      } catch (error) {
        this.env.emit('register-failed', { error: describeError(error) });
        await this.env.sleep(RUNTIME_TIMING.registerRetryBackoffMs, 'register retry');
        if (this.stopRequested) return;
      }
    }
  }

  /** The graceful part of a redeploy: stops the runner; the caller then ends the process. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.runner?.stop();
  }

  inFlight(): InFlightWork[] {
    return this.runner?.inFlight() ?? [];
  }
}
