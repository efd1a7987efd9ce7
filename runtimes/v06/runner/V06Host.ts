import type { RunnerRecord } from '../../../protocol/agents/agentsRoutes.ts';
import type { HostContext } from '../../../protocol/host/HostContext.ts';
import { BEGINNING_OFFSET, TAIL_OFFSET } from '../../../protocol/streams/streamsProtocol.ts';
import { AgentsClient } from '../agents/AgentsClient.ts';
import { V06_TIMING } from '../config/timing.ts';
import { v06SettingsFrom, type OffsetValue } from '../config/v06Switches.ts';
import { errorLine } from '../http/ServiceError.ts';
import type { RunnerEnvironment } from './RunnerEnvironment.ts';
import { WakeRunner } from './WakeRunner.ts';

/** Where a new runner starts reading, by the `offset` switch, given what registration handed back. */
export function startOffsetFor(offset: OffsetValue, record: RunnerRecord): string {
  switch (offset) {
    case 'durable':
      return record.wake_stream_offset ?? BEGINNING_OFFSET;
    case 'tail':
      return TAIL_OFFSET;
    case 'minus-one':
      return BEGINNING_OFFSET;
  }
}

/**
 * One host process of the 0.6-shaped runtime: registers its runner with the agents server (retrying while it does not
 * answer), builds a *new* runner at the start offset the `offset` switch gives, and starts it. Every start is a cold
 * start. When the platform's SIGTERM arrives it stops the runner gracefully and settles {@link stopped}; a crash needs
 * nothing from it.
 */
export class V06Host {
  readonly stopped: Promise<void>;
  private runner: WakeRunner | undefined;
  private readonly env: RunnerEnvironment;

  constructor(private readonly host: HostContext) {
    this.env = {
      agents: new AgentsClient(host.fetch, host.urls.agentsServer),
      fetch: host.fetch,
      urls: host.urls,
      settings: v06SettingsFrom(host.config),
      handlers: host.handlers,
      annotate: (kind, detail) => host.annotate(kind, detail),
    };
    this.stopped = new Promise<void>((resolve) => {
      const onSigterm = (): void => void this.stopRunner().then(resolve, resolve);
      if (host.signal.aborted) onSigterm();
      else host.signal.addEventListener('abort', onSigterm, { once: true });
    });
  }

  async start(): Promise<void> {
    const runnerId = this.host.env['RUNNER_ID'] ?? 'runner-1';
    const label = this.host.env['RUNNER_LABEL'] ?? runnerId;
    const record = await this.register(runnerId, label);
    if (!record || this.host.signal.aborted) return;
    const startOffset = startOffsetFor(this.env.settings.offset, record);
    this.env.annotate('runner-start', { runnerId, startOffset, registeredOffset: record.wake_stream_offset ?? null });
    this.runner = new WakeRunner(this.env, { runnerId, wakeStream: record.wake_stream, startOffset });
    this.runner.start();
  }

  /** Registers, once a second until the server answers; undefined when SIGTERM came first. */
  private async register(runnerId: string, label: string): Promise<RunnerRecord | undefined> {
    while (!this.host.signal.aborted) {
      try {
        return await this.env.agents.registerRunner(runnerId, label);
      } catch (error) {
        this.env.annotate('register-failed', { runnerId, error: errorLine(error) });
        await new Promise((resolve) => setTimeout(resolve, V06_TIMING.registrationRetryMs));
      }
    }
    return undefined;
  }

  private async stopRunner(): Promise<void> {
    await this.runner?.stop();
  }
}
