import { describe, expect, it } from 'vitest';
import { RecordedChoiceSource } from '../../../sim/choice/RecordedChoiceSource.ts';
import { SUBSCRIPTION_STREAM_ROOT } from '../../../world/durable-streams/ReferenceSubscriptions.ts';
import { DEFAULT_FAULT_OPTIONS } from '../../../world/faults/FaultOptions.ts';
import { drawTimedFaults } from '../../../world/faults/TimedFaultPlan.ts';
import { SERVICE_ORIGINS } from '../../../world/World.ts';
import { track } from '../simHelpers.ts';
import { worldFixture } from './worldFixture.ts';

describe('network-outage: the host\'s network is out for a span', () => {
  it('cuts the held read, hangs the first new connect to Durable Streams for good, fails every other request until the span ends', async () => {
    const { world, network, streams, runUntil, kinds } = worldFixture(['network-outage']);
    world.streams.create(`${SUBSCRIPTION_STREAM_ROOT}notes`);
    const catchUp = streams('GET', '/v1/stream/notes?offset=-1');
    await runUntil(10);
    const tail = catchUp.value!.headers['stream-next-offset']!;
    const held = streams('GET', `/v1/stream/notes?offset=${encodeURIComponent(tail)}&live=long-poll`);
    await runUntil(1_000);
    world.networkOutage.start(60_000);
    await runUntil(1_010);
    // The held read is cut as on a dropped connection.
    expect(held.error).toBeInstanceOf(TypeError);
    const halfOpen = streams('GET', '/v1/stream/notes?offset=-1');
    const later = streams('GET', '/v1/stream/notes?offset=-1');
    const heartbeat = track(network.transport({ method: 'POST', url: `${SERVICE_ORIGINS.agentsServer}/_electric/runners/runner-1/heartbeat`, body: '{}', headers: { 'content-type': 'application/json' } }));
    await runUntil(2_000);
    expect(later.error).toBeInstanceOf(TypeError);
    expect(heartbeat.error).toBeInstanceOf(TypeError);
    expect(kinds('fault').map((event) => [event.detail['kind'], event.detail['cause']])).toEqual([
      ['hung-connect', 'network-outage'],
      ['connection-drop', 'network-outage'],
      ['connection-drop', 'network-outage'],
    ]);
    // After the span the host connects again; the half-open connect stays hung.
    await runUntil(61_500);
    expect(world.networkOutage.underWay).toBe(false);
    const after = streams('GET', '/v1/stream/notes?offset=-1');
    await runUntil(62_000);
    expect(after.value?.status).toBe(200);
    expect(halfOpen.settled).toBe(false);
  });

  it('is no outage unless started: requests go through, and no choice is asked', async () => {
    const { world, streams, runUntil, kinds, sim } = worldFixture(['network-outage']);
    world.streams.create(`${SUBSCRIPTION_STREAM_ROOT}notes`);
    const read = streams('GET', '/v1/stream/notes?offset=-1');
    await runUntil(10);
    expect(read.value?.status).toBe(200);
    expect(kinds('fault')).toHaveLength(0);
    expect(world.networkOutage.underWay).toBe(false);
    expect((sim.choices as RecordedChoiceSource).recorded).toHaveLength(0);
  });

  it('is drawn in the timed plan only when enabled, after every older kind', () => {
    const script = [1, 5_000, 1, 7_000, 1, 9_000];
    const without = new RecordedChoiceSource(script);
    const planWithout = drawTimedFaults(without, new Set(['redeploy', 'ds-restart']), DEFAULT_FAULT_OPTIONS, 600_000);
    expect(planWithout.map((fault) => fault.kind)).toEqual(['redeploy', 'ds-restart']);
    expect(without.recorded).toHaveLength(4);
    const withIt = new RecordedChoiceSource(script);
    const planWith = drawTimedFaults(withIt, new Set(['redeploy', 'ds-restart', 'network-outage']), DEFAULT_FAULT_OPTIONS, 600_000);
    // The older kinds draw the same answers as before; the outage's count and time come last.
    expect(planWith.map((fault) => [fault.kind, fault.atMs])).toEqual([...planWithout.map((fault) => [fault.kind, fault.atMs]), ['network-outage', 9_000]]);
  });
});
