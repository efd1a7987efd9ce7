import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Headless Chromium for the tests that load an HTML report in a real browser. The browser is not an npm dependency:
 * a machine without it skips those tests (saying so), and CI sets {@link BROWSER_REQUIRED_VARIABLE} so that a
 * missing browser fails them instead.
 */

/** Set to `1` (as `.ci/run` does) to make a missing Chromium a test failure instead of a skipped test. */
export const BROWSER_REQUIRED_VARIABLE = 'WAKE_SIM_REQUIRE_BROWSER';

/** How to get the browser, for the skip line and the failure. */
export const CHROMIUM_INSTALL_HINT = 'install it with `apt-get install -y chromium` as root, or put chromium on PATH';

/**
 * Flags of every launch: no sandbox (CI runs as root), no GPU, and nothing that reaches the network on its own
 * (QUIC, background networking, component updates, sync), so a page load is the only thing the browser does.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** True when {@link BROWSER_REQUIRED_VARIABLE} asks for the browser checks to run whatever the machine has. */
export function browserRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[BROWSER_REQUIRED_VARIABLE] === '1';
}

/** The Chromium binary on this machine, or undefined. */
export function findChromium(): string | undefined {
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(candidate)) return candidate;
  const which = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found !== '' ? found : undefined;
}

export interface LoadedPage {
  /** Console errors, uncaught exceptions and error log entries (blocked loads, CSP violations), in order. */
  readonly problems: string[];
  readonly values: Record<string, unknown>;
}

/**
 * Loads `url` in headless Chromium over the DevTools protocol on a pipe (no npm dependency, no port), collects every
 * console error, uncaught exception and error log entry until the load event and a short settle, evaluates
 * `expressions`, then logs a probe with console.error so the caller can see the capture works. Each launch gets a
 * fresh profile directory under `scratchDir`.
 */
export async function loadInChromium(binary: string, url: string, expressions: Record<string, string>, scratchDir: string): Promise<LoadedPage> {
  const profile = mkdtempSync(join(scratchDir, 'chromium-profile-'));
  const child = spawn(
    binary,
    [...CHROMIUM_FLAGS, '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const toBrowser = child.stdio[3] as NodeJS.WritableStream;
  const fromBrowser = child.stdio[4] as NodeJS.ReadableStream;
  const pending = new Map<number, (message: CdpMessage) => void>();
  const problems: string[] = [];
  let loaded: () => void = () => {};
  const loadEvent = new Promise<void>((resolve) => (loaded = resolve));
  let buffer = '';
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
      const message = JSON.parse(buffer.slice(0, end)) as CdpMessage;
      buffer = buffer.slice(end + 1);
      if (message.id !== undefined) pending.get(message.id)?.(message);
      else if (message.method === 'Page.loadEventFired') loaded();
      else if (message.method === 'Runtime.consoleAPICalled' && (message.params?.type === 'error' || message.params?.type === 'assert')) {
        problems.push(`console.${message.params.type}: ${(message.params.args ?? []).map((arg) => String(arg.value ?? arg.description)).join(' ')}`);
      } else if (message.method === 'Runtime.exceptionThrown') problems.push(`exception: ${JSON.stringify(message.params?.exceptionDetails)}`);
      else if (message.method === 'Log.entryAdded' && message.params?.entry?.level === 'error') problems.push(`log: ${message.params.entry.text}`);
    }
  });
  let nextId = 0;
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<CdpMessage> =>
    new Promise((resolve, reject) => {
      const id = (nextId += 1);
      pending.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message)));
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  const stopped = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const exited = stopped.then((): never => {
    throw new Error(`chromium exited early (status ${child.exitCode})`);
  });
  exited.catch(() => undefined);
  const withinTime = <T>(promise: Promise<T>, what: string): Promise<T> =>
    Promise.race([promise, exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`chromium: timed out waiting for ${what}`)), 60_000).unref())]);
  try {
    const target = await withinTime(send('Target.createTarget', { url: 'about:blank' }), 'a page');
    const attached = await withinTime(send('Target.attachToTarget', { targetId: target.result!['targetId'], flatten: true }), 'the page');
    const session = String(attached.result!['sessionId']);
    for (const domain of ['Runtime', 'Log', 'Page']) await withinTime(send(`${domain}.enable`, {}, session), `${domain}.enable`);
    await withinTime(send('Page.navigate', { url }, session), 'navigation');
    await withinTime(loadEvent, 'the load event');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const values: Record<string, unknown> = {};
    for (const [name, expression] of Object.entries(expressions)) {
      const evaluated = await withinTime(send('Runtime.evaluate', { expression, returnByValue: true }, session), name);
      values[name] = (evaluated.result!['result'] as { value?: unknown }).value;
    }
    await withinTime(send('Runtime.evaluate', { expression: 'console.error("wake-sim probe")' }, session), 'the probe');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await send('Browser.close').catch(() => undefined);
    return { problems, values };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    // Helper processes may still be writing the profile for a moment; the caller removes what is left with its scratch directory.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // best effort
    }
  }
}

interface CdpMessage {
  readonly id?: number;
  readonly method?: string;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly message: string };
  readonly params?: {
    readonly type?: string;
    readonly args?: ReadonlyArray<{ readonly value?: unknown; readonly description?: string }>;
    readonly exceptionDetails?: unknown;
    readonly entry?: { readonly level?: string; readonly text?: string };
  };
}
