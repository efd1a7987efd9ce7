import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULT_KINDS, faultKinds, FaultListError, parseFaultList } from '../../../world/faults/FaultKind.ts';
import { FAULT_WORLDS } from '../../../world/faults/FaultWorlds.ts';

describe('fault worlds by name', () => {
  it('report is the default world, the bug report\'s, and `default` still names it', () => {
    expect(parseFaultList('report')).toEqual(['redeploy', 'preload-not-found', 'preload-foreign-item', 'delivery-reorder']);
    expect(parseFaultList('default')).toEqual(parseFaultList('report'));
    expect(DEFAULT_FAULT_KINDS).toEqual(parseFaultList('report'));
  });

  it('platform: crashes, restarts of both servers, heartbeat failures, overlapping deploys', () => {
    expect(parseFaultList('platform')).toEqual(['crash', 'server-restart', 'heartbeat-failure', 'rolling-deploy', 'ds-restart']);
  });

  it("network: 5xx and 429, long outages, lost answers, dropped, stale and hung connections, stalled agents-server requests, slow handlers, the host's network outages, reordering", () => {
    expect(parseFaultList('network')).toEqual([
      'delivery-reorder',
      'server-error',
      'rate-limit',
      'stream-outage',
      'lost-answer',
      'connection-drop',
      'stale-connection',
      'hung-connect',
      'hung-request',
      'slow-handler',
      'network-outage',
    ]);
  });

  it('every kind of every world is registered, and `all` is every registered kind', () => {
    const known = faultKinds().map((kind) => kind.name);
    for (const world of Object.values(FAULT_WORLDS)) for (const kind of world.kinds) expect(known).toContain(kind);
    expect(parseFaultList('all')).toEqual(known);
  });

  it('worlds and kinds combine, in canonical order, without repeats', () => {
    expect(parseFaultList('heartbeat-failure,report')).toEqual(['redeploy', 'preload-not-found', 'preload-foreign-item', 'delivery-reorder', 'heartbeat-failure']);
    expect(parseFaultList('platform,network')).toHaveLength(parseFaultList('platform').length + parseFaultList('network').length);
    expect(parseFaultList('none')).toEqual([]);
  });

  it('an unknown word names the worlds among the choices', () => {
    expect(() => parseFaultList('weather')).toThrow(FaultListError);
    expect(() => parseFaultList('weather')).toThrow(/or report, platform, network, default, all, none/);
  });
});
