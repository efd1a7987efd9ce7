import { describe, expect, it } from 'vitest';
import { runLoop } from '../../sim/run/runLoop.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import { jsonAnswer } from '../../world/http/answers.ts';
import { bodyText } from '../../world/http/messageBody.ts';
import { simRequest, type SimRequest } from '../../world/http/SimRequest.ts';
import type { SimResponse } from '../../world/http/SimResponse.ts';
import { ConnectionDropped, Network, type SimService, type WireExchange, type WireFate } from '../../world/network/Network.ts';
import { SimProcess } from '../../world/process/SimProcess.ts';
import { drain, makeSim, track } from './simHelpers.ts';

const OPTIONS = { baseLatencyMs: 1, maxExtraDelayMs: 40 };
const BUDGET = { horizonMs: 10_000, maxSteps: 1_000 };

/** A service that answers every request with its path, telling `onServe` first. */
function echoService(onServe: (request: SimRequest) => void = () => {}, up = true): SimService {
  return {
    name: 'svc',
    up,
    serve: (request) => {
      onServe(request);
      return jsonAnswer(200, { path: request.url.pathname });
    },
  };
}

function setup(sim: SimContext, reorder: boolean, fates: Array<WireFate | undefined> = [], seen: WireExchange[] = []) {
  const network = new Network(sim, OPTIONS, () => reorder, (exchange) => {
    seen.push(exchange);
    return fates.shift() ?? { request: 'delivered', answer: 'delivered' };
  });
  const caller = new SimProcess(sim, 'host#1');
  const send = (service: SimService, label: string, signal?: AbortSignal): Promise<SimResponse> =>
    network.exchange(caller, service, simRequest({ method: 'GET', url: `http://svc.sim/${label}`, peer: caller.name, ...(signal ? { signal } : {}) }), label);
  return { network, caller, send };
}

const pathOf = (answer: SimResponse): string => (JSON.parse(bodyText(answer)) as { path: string }).path;

describe('Network', () => {
  it('with reorder off delivers requests and answers on one channel in send order', async () => {
    // Non-zero tie-break choices: if two messages of a channel ever tied, these would swap them.
    const sim = makeSim([1, 2, 1, 2, 1, 2, 1, 2]);
    const { send } = setup(sim, false);
    const handled: string[] = [];
    const answered: string[] = [];
    const service = echoService((request) => handled.push(request.url.pathname));
    for (const label of ['a', 'b', 'c']) void send(service, label).then((answer) => answered.push(pathOf(answer)));
    await runLoop(sim.scheduler, BUDGET);
    expect(handled).toEqual(['/a', '/b', '/c']);
    expect(answered).toEqual(['/a', '/b', '/c']);
  });

  it('stamps each request with the virtual time it left its sender, which the service sees after the delivery', async () => {
    const sim = makeSim([30]);
    const { send } = setup(sim, true);
    const served: Array<{ sentAtMs: number | undefined; servedAtMs: number }> = [];
    sim.scheduler.schedule(500, 'host#1', 'send', () => void send(echoService((request) => served.push({ sentAtMs: request.sentAtMs, servedAtMs: sim.scheduler.nowMs })), 'late'));
    await runLoop(sim.scheduler, BUDGET);
    expect(served).toEqual([{ sentAtMs: 500, servedAtMs: 531 }]);
  });

  it('an answer to a process that died never settles the promise (the request was still served)', async () => {
    const sim = makeSim();
    const { send, caller } = setup(sim, false);
    let served = false;
    const call = track(send(echoService(() => (served = true)), 'work'));
    sim.scheduler.step(); // the request arrives
    await drain();
    caller.exit('crash');
    expect(await runLoop(sim.scheduler, BUDGET)).toBe('idle');
    expect(served).toBe(true);
    expect(call.settled).toBe(false);
  });

  it('a request to a service that is down is answered 503 SERVICE_UNAVAILABLE and never reaches it', async () => {
    const sim = makeSim();
    const { send } = setup(sim, false);
    let served = false;
    const call = track(send(echoService(() => (served = true), false), 'work'));
    await runLoop(sim.scheduler, BUDGET);
    expect(served).toBe(false);
    expect(call.value?.status).toBe(503);
    expect(JSON.parse(bodyText(call.value!))).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: 'svc is unavailable' } });
  });

  it('an abort rejects at once with the signal\'s reason; the service may still act on what it received', async () => {
    const sim = makeSim();
    const { send } = setup(sim, false);
    let served = false;
    const controller = new AbortController();
    const call = track(send(echoService(() => (served = true)), 'work', controller.signal));
    sim.scheduler.step(); // the request arrives
    await drain();
    controller.abort(new Error('gone'));
    await drain();
    expect(call.error).toEqual(new Error('gone'));
    await runLoop(sim.scheduler, BUDGET);
    expect(served).toBe(true);
    // The answer then came to a caller that had closed the request: the network observed it unclaimed, once.
    const unclaimed = sim.trace.events.filter((event) => event.kind === 'answer-unclaimed');
    expect(unclaimed.map((event) => ({ actor: event.actor, ...event.detail }))).toEqual([
      { actor: 'network', peer: 'host#1', service: 'svc', method: 'GET', path: '/work', status: 200, answeredAtMs: 1 },
    ]);
  });

  it.each([
    ['synchronously', () => { throw new Error('boom'); }],
    ['asynchronously', () => Promise.reject(new Error('boom'))],
  ] as const)('a service that throws %s ends the run with its error: a broken world fails loudly', async (_how, serve) => {
    const sim = makeSim();
    const { send } = setup(sim, false);
    const call = track(send({ name: 'svc', up: true, serve }, 'work'));
    await expect(runLoop(sim.scheduler, BUDGET)).rejects.toThrow('boom');
    expect(call.settled).toBe(false);
  });

  it('with reorder on, a second message with a shorter extra delay overtakes the first', async () => {
    // Choices: extra delay of the first request = 10 ms, of the second = 0 ms.
    const sim = makeSim([10, 0]);
    const { send } = setup(sim, true);
    const handled: Array<[string, number]> = [];
    const service = echoService((request) => handled.push([request.url.pathname, sim.scheduler.nowMs]));
    for (const label of ['first', 'second']) void send(service, label);
    await runLoop(sim.scheduler, BUDGET);
    expect(handled).toEqual([['/second', 1], ['/first', 11]]);
  });

  it('with reorder on and ordinary (zero) choices, messages keep send order', async () => {
    const sim = makeSim();
    const { send } = setup(sim, true);
    const handled: string[] = [];
    const service = echoService((request) => handled.push(request.url.pathname));
    for (const label of ['first', 'second']) void send(service, label);
    await runLoop(sim.scheduler, BUDGET);
    expect(handled).toEqual(['/first', '/second']);
  });

  describe('wire faults', () => {
    it.each([
      ['request', { request: 'dropped', answer: 'delivered' }, false],
      ['answer', { request: 'delivered', answer: 'dropped' }, true],
    ] as const)('a dropped %s fails the caller\'s fetch as a reset connection does (the service acted only on a dropped answer)', async (_leg, fate, servedExpected) => {
      const sim = makeSim();
      const { send } = setup(sim, false, [fate]);
      let served = false;
      const call = track(send(echoService(() => (served = true)), 'work'));
      await runLoop(sim.scheduler, BUDGET);
      expect(served).toBe(servedExpected);
      expect(call.error).toBeInstanceOf(TypeError);
      expect((call.error as TypeError).message).toBe('fetch failed');
    });

    it.each([
      ['request', { request: 'hung', answer: 'delivered' }, false],
      ['answer', { request: 'delivered', answer: 'hung' }, true],
    ] as const)('a hung %s never settles the call and never fails it; only the caller\'s abort ends the wait', async (_leg, fate, servedExpected) => {
      const sim = makeSim();
      const { send } = setup(sim, false, [fate]);
      let served = false;
      const controller = new AbortController();
      const call = track(send(echoService(() => (served = true)), 'work', controller.signal));
      expect(await runLoop(sim.scheduler, BUDGET)).toBe('idle');
      expect(served).toBe(servedExpected);
      expect(call.settled).toBe(false);
      controller.abort(new Error('gave up'));
      await drain();
      expect(call.error).toEqual(new Error('gave up'));
    });

    it('a service that cuts a held request (ConnectionDropped) fails the caller\'s fetch: no broken world', async () => {
      const sim = makeSim();
      const { send } = setup(sim, false);
      const call = track(send({ name: 'svc', up: true, serve: () => Promise.reject(new ConnectionDropped('restarted')) }, 'held'));
      expect(await runLoop(sim.scheduler, BUDGET)).toBe('idle');
      expect(call.error).toBeInstanceOf(TypeError);
    });

    it('tells the wire faults which request opens a connection: the first to a service, and the first after a break', async () => {
      const sim = makeSim();
      const seen: WireExchange[] = [];
      const { send } = setup(sim, false, [undefined, undefined, { request: 'delivered', answer: 'dropped' }, undefined, undefined], seen);
      const service = echoService();
      for (const label of ['a', 'b', 'c', 'd', 'e']) {
        void send(service, label).catch(() => {});
        await runLoop(sim.scheduler, BUDGET);
      }
      expect(seen.map((exchange) => [exchange.request.url.pathname, exchange.connect])).toEqual([
        ['/a', true],
        ['/b', false],
        ['/c', false],
        ['/d', true],
        ['/e', false],
      ]);
    });
  });
});
