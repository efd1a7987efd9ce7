import { BEGINNING_OFFSET, TAIL_OFFSET } from '../../protocol/streams/streamsProtocol.ts';
import { describeError } from './errors.ts';
import { PullWakeRunner } from './runner/PullWakeRunner.ts';
import { sleep } from './time.ts';
import { RUNTIME_TIMING } from './timing.ts';
import type { V04Environment } from './V04Environment.ts';

/** Identity of the runner a host process runs. */
export interface RuntimeHostOptions {
  readonly runnerId: string;
  readonly label: string;
}

/**
 * One host process of the agents runtime: registers its runner with the agents server and builds a *new* runner
 * with `offset = registered.wake_stream_offset ?? '-1'` (or `now` with `offset=tail`). Every host start is a cold
 * start: nothing survives in memory from the previous process. On SIGTERM it stops the runner and settles
 * {@link stopped}.
 */
export class RuntimeHost {
  private runner: PullWakeRunner | undefined;
  private stopRequested = false;
  readonly stopped: Promise<void>;

  constructor(
    private readonly env: V04Environment,
    private readonly options: RuntimeHostOptions,
  ) {
    this.stopped = new Promise<void>((resolve, reject) => {
      env.host.signal.addEventListener('abort', () => void this.stop().then(resolve, reject), { once: true });
    });
  }

  async start(): Promise<void> {
    const { runnerId, label } = this.options;
    for (;;) {
      try {
        const record = await this.env.agents.register(runnerId, label);
        if (this.stopRequested) return;
        const startOffset = this.env.config.offset === 'tail' ? TAIL_OFFSET : (record.wake_stream_offset ?? BEGINNING_OFFSET);
        this.env.annotate('runner-start', { runnerId, startOffset, registeredOffset: record.wake_stream_offset ?? null });
        this.runner = new PullWakeRunner(this.env, { runnerId, wakeStream: record.wake_stream, startOffset });
        this.runner.start();
        return;
      } catch (error) {
        this.env.annotate('register-failed', { error: describeError(error) });
        await sleep(RUNTIME_TIMING.registerRetryBackoffMs);
        if (this.stopRequested) return;
      }
    }
  }

  /** The graceful part of a redeploy: stops the runner; the platform then ends the process. */
  private async stop(): Promise<void> {
    this.stopRequested = true;
    await this.runner?.stop();
  }
}
