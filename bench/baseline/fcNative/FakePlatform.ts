import type fc from 'fast-check';
import type { EntityHandler } from '../../../protocol/entity/EntityHandler.ts';
import type { HostContext } from '../../../protocol/host/HostContext.ts';
import type { RunningHost, RuntimeUnderTest } from '../../../protocol/host/RuntimeUnderTest.ts';
import type { FakeClock } from './FakeClock.ts';
import { FAKE_URLS, scheduledTransport, type FakeServices, type ProcessState } from './scheduledNetwork.ts';

/** How the test's platform runs hosts: their runtime, its switch values, and the entity code per host. */
export interface PlatformOptions {
  readonly runtime: RuntimeUnderTest;
  readonly config: Readonly<Record<string, string>>;
  readonly runnerId: string;
  /** The entity handlers of one host, posting through that host's network. */
  readonly handlersFor: (post: (path: string, body: unknown) => Promise<number>) => ReadonlyMap<string, EntityHandler>;
  /** How long a SIGTERMed host may take to stop before it is ended anyway. */
  readonly stopGraceMs: number;
}

interface Host {
  readonly running: RunningHost;
  readonly sigterm: AbortController;
  readonly process: ProcessState;
}

/**
 * The deployment platform as a user fakes it: starts a host of the runtime with a fresh context (a cold start), and
 * redeploys it: SIGTERM, wait for its graceful stop (at most the grace period), end it (its network refuses it from
 * then on, the closest a test in one process gets to ending a process), start a new one after a delay. A redeploy
 * asked for while another is under way is skipped.
 */
export class FakePlatform {
  private current: Host | undefined;
  private deploying = false;
  started = 0;

  constructor(
    private readonly s: fc.Scheduler,
    private readonly clock: FakeClock,
    private readonly services: FakeServices,
    private readonly options: PlatformOptions,
  ) {}

  startHost(): void {
    this.started += 1;
    const process: ProcessState = { alive: true };
    const sigterm = new AbortController();
    const transport = scheduledTransport(this.s, this.services, process);
    const { runtime, config, runnerId } = this.options;
    const env: Record<string, string> = { RUNNER_ID: runnerId, RUNNER_LABEL: 'digest host' };
    for (const [name, value] of Object.entries(config)) env[`WAKE_SIM_${name.toUpperCase().replace(/-/g, '_')}`] = value;
    const post = async (path: string, body: unknown): Promise<number> =>
      (await transport({ method: 'POST', url: `${FAKE_URLS.chat}${path}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status;
    const host: HostContext = {
      processName: `host#${this.started}`,
      fetch: () => Promise.reject(new Error('the native baseline gives the runtime only its direct transport (transport=direct, streams=fast)')),
      transport,
      urls: { durableStreams: FAKE_URLS.durableStreams, agentsServer: FAKE_URLS.agentsServer },
      env,
      config,
      signal: sigterm.signal,
      handlers: this.options.handlersFor(post),
      annotate: () => {},
    };
    const running = runtime.startHost(host);
    running.stopped.catch(() => {});
    this.current = { running, sigterm, process };
  }

  async redeploy(restartDelayMs: number): Promise<void> {
    const old = this.current;
    if (!old || this.deploying) return;
    this.deploying = true;
    old.sigterm.abort();
    let graceTimer = 0;
    await Promise.race([old.running.stopped.catch(() => {}), new Promise<void>((resolve) => (graceTimer = this.clock.setTimer(this.options.stopGraceMs, resolve)))]);
    this.clock.clearTimer(graceTimer);
    old.process.alive = false;
    await new Promise<void>((resolve) => this.clock.setTimer(restartDelayMs, resolve));
    this.startHost();
    this.deploying = false;
  }
}
