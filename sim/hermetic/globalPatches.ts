import { Socket } from 'node:net';
import { activeRun } from './activeRun.ts';
import { leakMessage } from './LeakReport.ts';

/**
 * The process-wide APIs a hermetic run replaces, and their replacements. Each replacement serves the active run
 * (activeRun.ts) and, when there is none (a reference kept after the run ended), the real API, so nothing breaks
 * outside a run. The real ones are captured here, when the kernel loads, before any run could replace them.
 *
 * What is replaced: the global timers (`setTimeout`, `setInterval`, `setImmediate` and their `clear*`), `Date`
 * (`Date.now`, `new Date()`, `Date()`), `performance.now`, `process.hrtime` (and `.bigint`), `AbortSignal.timeout`,
 * `Math.random`, the Web Crypto `crypto.randomUUID` / `crypto.getRandomValues`, the global `fetch`, and
 * `net.Socket.prototype.connect` (which every TCP and TLS client, `node:http` and undici included, goes through).
 *
 * What is not: references taken before the run (`const { setTimeout } = globalThis` at module load, as vitest and
 * fast-check do on purpose for their own timeouts), `node:timers` and `node:timers/promises` imports, and the
 * `node:crypto` module's own functions. The static scan (test/acceptance/noRealTimeInSimulation.test.ts) covers the
 * project's code for those; library code reads the globals at call time.
 */

interface CryptoRandom {
  randomUUID(): string;
  getRandomValues<T extends ArrayBufferView>(array: T): T;
}

const RealDate = Date;
const realPerformance = globalThis.performance;
const realCrypto = (globalThis as { crypto?: CryptoRandom }).crypto;
const REAL = {
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  setImmediate: globalThis.setImmediate,
  clearTimeout: globalThis.clearTimeout,
  clearInterval: globalThis.clearInterval,
  clearImmediate: globalThis.clearImmediate,
  performanceNow: realPerformance.now.bind(realPerformance),
  hrtime: process.hrtime,
  abortSignalTimeout: AbortSignal.timeout.bind(AbortSignal),
  mathRandom: Math.random,
  randomUUID: realCrypto?.randomUUID.bind(realCrypto),
  getRandomValues: realCrypto?.getRandomValues.bind(realCrypto),
  fetch: globalThis.fetch,
  socketConnect: Socket.prototype.connect,
} as const;

const NANOS_PER_MS = 1_000_000;
const NANOS_PER_SECOND = 1_000_000_000n;

type Callback = (...args: unknown[]) => void;

function setTimeout(callback: Callback, delay?: number, ...args: unknown[]): unknown {
  const run = activeRun();
  if (!run) return REAL.setTimeout(callback, delay, ...args);
  run.touch('timer', 'setTimeout');
  return run.timers.set('setTimeout', callback, delay, args);
}

function setInterval(callback: Callback, delay?: number, ...args: unknown[]): unknown {
  const run = activeRun();
  if (!run) return REAL.setInterval(callback, delay, ...args);
  run.touch('timer', 'setInterval');
  return run.timers.set('setInterval', callback, delay, args);
}

function setImmediate(callback: Callback, ...args: unknown[]): unknown {
  const run = activeRun();
  if (!run) return REAL.setImmediate(callback, ...args);
  run.touch('timer', 'setImmediate');
  return run.timers.set('setImmediate', callback, 0, args);
}

/** Clears a virtual timer of the active run; anything else (a real timer from before the run) is the real API's. */
function clearTimer(real: (timer: never) => void): (timer: unknown) => void {
  return (timer) => {
    if (activeRun()?.timers.clear(timer)) return;
    real(timer as never);
  };
}

function virtualNow(api: string): number {
  const run = activeRun()!;
  run.touch('clock', api);
  return run.epochNowMs;
}

function now(): number {
  return activeRun() ? virtualNow('Date.now') : RealDate.now();
}

/**
 * `Date` in a hermetic run: `Date.now()`, `new Date()` and `Date()` read virtual time; everything else is the real
 * `Date` (a proxy, so `instanceof Date` and subclasses keep working both ways).
 */
const VirtualDate: DateConstructor = new Proxy(RealDate, {
  construct(target, args, newTarget) {
    const dateArgs = args.length === 0 && activeRun() ? [virtualNow('new Date()')] : args;
    return Reflect.construct(target, dateArgs, newTarget === VirtualDate ? target : newTarget) as object;
  },
  apply(target, thisArg, args) {
    return activeRun() ? new RealDate(virtualNow('Date()')).toString() : Reflect.apply(target, thisArg, args);
  },
  get(target, key) {
    return key === 'now' ? now : Reflect.get(target, key);
  },
});

function performanceNow(): number {
  const run = activeRun();
  if (!run) return REAL.performanceNow();
  run.touch('clock', 'performance.now');
  return run.nowMs;
}

function virtualNanos(api: string): bigint {
  const run = activeRun()!;
  run.touch('clock', api);
  return BigInt(Math.round(run.nowMs * NANOS_PER_MS));
}

function hrtime(previous?: [number, number]): [number, number] {
  if (!activeRun()) return REAL.hrtime(previous);
  let nanos = virtualNanos('process.hrtime');
  if (previous) nanos -= BigInt(previous[0]) * NANOS_PER_SECOND + BigInt(previous[1]);
  return [Number(nanos / NANOS_PER_SECOND), Number(nanos % NANOS_PER_SECOND)];
}
hrtime.bigint = function bigint(): bigint {
  return activeRun() ? virtualNanos('process.hrtime.bigint') : REAL.hrtime.bigint();
};

function timeout(delay: number): AbortSignal {
  const run = activeRun();
  if (!run) return REAL.abortSignalTimeout(delay);
  run.touch('timer', 'AbortSignal.timeout');
  const controller = new AbortController();
  const abort = (): void => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  run.timers.set('AbortSignal.timeout', abort, delay, []);
  return controller.signal;
}

function random(): number {
  const run = activeRun();
  if (!run) return REAL.mathRandom();
  run.touch('random', 'Math.random');
  return run.random.random();
}

function randomUUID(): string {
  const run = activeRun();
  if (!run) return REAL.randomUUID!();
  run.touch('random', 'crypto.randomUUID');
  return run.random.uuid();
}

function getRandomValues<T extends ArrayBufferView>(array: T): T {
  const run = activeRun();
  if (!run) return REAL.getRandomValues!(array);
  run.touch('random', 'crypto.getRandomValues');
  return run.random.fill(array);
}

function fetch(input: unknown, init?: unknown): Promise<Response> {
  const run = activeRun();
  if (!run) return REAL.fetch(input as string, init as RequestInit);
  const simulated = run.fetchOfCurrentActor();
  if (simulated) return simulated(input as string, init as RequestInit);
  const leak = run.leak('network', 'fetch', fetchTarget(input));
  return Promise.reject(new TypeError(leakMessage(leak)));
}

function connect(this: Socket, ...args: unknown[]): Socket {
  const run = activeRun();
  if (!run) return (REAL.socketConnect as (...args: unknown[]) => Socket).apply(this, args);
  const leak = run.leak('network', 'net.Socket.connect', socketTarget(args));
  throw new Error(leakMessage(leak));
}

function fetchTarget(input: unknown): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  const url = (input as { url?: unknown } | null)?.url;
  return typeof url === 'string' ? url : String(input);
}

/** `host:port` or the socket path of a `connect` call, whichever way its arguments were given. */
function socketTarget(args: readonly unknown[]): string {
  // net.connect() hands over its normalised arguments as one array: [options, callback].
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'number' || typeof first === 'string') {
    return typeof first === 'string' && Number.isNaN(Number(first)) ? first : `${typeof args[1] === 'string' ? args[1] : 'localhost'}:${first}`;
  }
  const options = (first ?? {}) as { host?: unknown; port?: unknown; path?: unknown };
  if (typeof options.path === 'string') return options.path;
  return `${typeof options.host === 'string' ? options.host : 'localhost'}:${String(options.port)}`;
}

/** One replaced property: where it lives, its name, and what a hermetic run puts there. */
export interface GlobalPatch {
  readonly target: object;
  readonly key: string;
  readonly value: unknown;
}

/** Every property a hermetic run replaces, in installation order. */
export const GLOBAL_PATCHES: readonly GlobalPatch[] = [
  { target: globalThis, key: 'setTimeout', value: setTimeout },
  { target: globalThis, key: 'setInterval', value: setInterval },
  { target: globalThis, key: 'setImmediate', value: setImmediate },
  { target: globalThis, key: 'clearTimeout', value: clearTimer(REAL.clearTimeout) },
  { target: globalThis, key: 'clearInterval', value: clearTimer(REAL.clearInterval) },
  { target: globalThis, key: 'clearImmediate', value: clearTimer(REAL.clearImmediate) },
  { target: globalThis, key: 'Date', value: VirtualDate },
  { target: realPerformance, key: 'now', value: performanceNow },
  { target: process, key: 'hrtime', value: hrtime },
  { target: AbortSignal, key: 'timeout', value: timeout },
  { target: Math, key: 'random', value: random },
  ...(realCrypto
    ? [
        { target: realCrypto, key: 'randomUUID', value: randomUUID },
        { target: realCrypto, key: 'getRandomValues', value: getRandomValues },
      ]
    : []),
  { target: globalThis, key: 'fetch', value: fetch },
  { target: Socket.prototype, key: 'connect', value: connect },
];

/**
 * Puts every replacement in place and returns the function that puts the originals back, exactly as they were: an own
 * property gets its value back, one that was inherited (`performance.now`, the crypto functions) is deleted again.
 * Plain assignments (every replaced property is a writable data property in Node), a few microseconds per run.
 */
export function applyGlobalPatches(): () => void {
  const targets = GLOBAL_PATCHES as readonly { readonly target: Record<string, unknown>; readonly key: string; readonly value: unknown }[];
  const own = targets.map(({ target, key }) => Object.hasOwn(target, key));
  const saved = targets.map(({ target, key }) => target[key]);
  for (const { target, key, value } of targets) target[key] = value;
  return () => {
    for (let index = targets.length - 1; index >= 0; index -= 1) {
      const { target, key } = targets[index]!;
      if (own[index]) target[key] = saved[index];
      else delete target[key];
    }
  };
}
