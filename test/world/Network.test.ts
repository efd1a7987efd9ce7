import { describe, expect, it } from 'vitest';
import { runLoop } from '../../sim/run/runLoop.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import { HttpError } from '../../world/network/HttpError.ts';
import { Network, type ServiceEndpoint } from '../../world/network/Network.ts';
import { SimProcess } from '../../world/process/SimProcess.ts';
import { drain, makeSim, track } from './simHelpers.ts';

const OPTIONS = { baseLatencyMs: 1, maxExtraDelayMs: 40 };
const BUDGET = { horizonMs: 10_000, maxSteps: 1_000 };

function setup(sim: SimContext, reorder: boolean, service: ServiceEndpoint = { name: 'svc', up: true }) {
  return { network: new Network(sim, OPTIONS, () => reorder), caller: new SimProcess(sim, 'host#1'), service };
}

describe('Network', () => {
  it('with reorder off delivers requests and responses on one channel in send order', async () => {
    // Non-zero tie-break choices: if two messages of a channel ever tied, these would swap them.
    const sim = makeSim([1, 2, 1, 2, 1, 2, 1, 2]);
    const { network, caller, service } = setup(sim, false);
    const handled: string[] = [];
    const answered: string[] = [];
    for (const label of ['a', 'b', 'c']) {
      void network.call(caller, service, label, () => (handled.push(label), label)).then((v) => answered.push(v));
    }
    await runLoop(sim.scheduler, BUDGET);
    expect(handled).toEqual(['a', 'b', 'c']);
    expect(answered).toEqual(['a', 'b', 'c']);
  });

  it('a response to a process that died never settles the promise (the request was still served)', async () => {
    const sim = makeSim();
    const { network, caller, service } = setup(sim, false);
    let served = false;
    const call = track(network.call(caller, service, 'work', () => (served = true)));
    sim.scheduler.step(); // the request arrives
    await drain();
    caller.exit('crash');
    expect(await runLoop(sim.scheduler, BUDGET)).toBe('idle');
    expect(served).toBe(true);
    expect(call.settled).toBe(false);
  });

  it('a request to a service that is down rejects with 503 and never reaches the handler', async () => {
    const sim = makeSim();
    const { network, caller, service } = setup(sim, false, { name: 'svc', up: false });
    let served = false;
    const call = track(network.call(caller, service, 'work', () => (served = true)));
    await runLoop(sim.scheduler, BUDGET);
    expect(served).toBe(false);
    expect(call.error).toBeInstanceOf(HttpError);
    expect((call.error as HttpError).status).toBe(503);
  });

  it('a handler that throws or rejects rejects the call with that error', async () => {
    const sim = makeSim();
    const { network, caller, service } = setup(sim, false);
    const boom = new Error('boom');
    const sync = track(network.call(caller, service, 'sync', () => { throw boom; }));
    const async = track(network.call(caller, service, 'async', () => Promise.reject(boom)));
    await runLoop(sim.scheduler, BUDGET);
    expect([sync.error, async.error]).toEqual([boom, boom]);
  });

  it('with reorder on, a second message with a shorter extra delay overtakes the first', async () => {
    // Choices: extra delay of the first request = 10 ms, of the second = 0 ms.
    const sim = makeSim([10, 0]);
    const { network, caller, service } = setup(sim, true);
    const handled: Array<[string, number]> = [];
    for (const label of ['first', 'second']) {
      void network.call(caller, service, label, () => handled.push([label, sim.scheduler.nowMs]));
    }
    await runLoop(sim.scheduler, BUDGET);
    expect(handled).toEqual([['second', 1], ['first', 11]]);
  });

  it('with reorder on and ordinary (zero) choices, messages keep send order', async () => {
    const sim = makeSim();
    const { network, caller, service } = setup(sim, true);
    const handled: string[] = [];
    for (const label of ['first', 'second']) void network.call(caller, service, label, () => handled.push(label));
    await runLoop(sim.scheduler, BUDGET);
    expect(handled).toEqual(['first', 'second']);
  });
});
