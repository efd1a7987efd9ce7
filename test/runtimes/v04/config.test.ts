import { describe, expect, it } from 'vitest';
import { OFFSET_MODES, V04_SWITCHES, v04Config, type V04Config } from '../../../runtimes/v04/config.ts';
import { ConfigError, describeSwitchValues, listSwitchValues, resolveSwitchValues } from '../../../scenarios/config/SwitchValues.ts';
import { WORLD_SWITCHES } from '../../../scenarios/config/worldSwitches.ts';
import { RESUME_OFFSET_SOURCES } from '../../../world/agents-server/ResumeOffsetSource.ts';

const SHIPPED: V04Config = {
  wiring: 'swallow',
  offset: 'minus-one',
  streams: 'fast',
  transport: 'direct',
  claimRetry: 'none',
  doneRetry: 'none',
  stopDone: 'send',
  streamReconnect: 'backoff',
  streamReset: 'any-state',
  leaseRenewal: 'none',
  leaseFence: 'none',
  renewalTimeout: 'none',
  renewalRetry: 'none',
  handlerSignal: 'none',
  readWatchdog: 'none',
  failedWake: 'ack',
  claimGuard: 'none',
  requestTimeout: 'none',
  nextWake: 'ignore',
  stopAck: 'given',
  wakeBatch: 'all',
  claimDeferral: 'fifo',
  claimConcurrency: 'concurrent',
  stopGate: 'accepting-claims',
};

/** The field of {@link V04Config} a switch sets: its name in camel case (`claim-retry` -> `claimRetry`). */
const fieldOf = (name: string): keyof V04Config => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()) as keyof V04Config;

/** The runtime's switch values as a run hands them to a host: validated by the simulator, every switch named. */
const resolved = (preset: string, overrides: Record<string, string>) => resolveSwitchValues(V04_SWITCHES, preset, overrides);

describe('v04Config', () => {
  it('with no values is the combination that shipped', () => {
    expect(v04Config({})).toEqual(SHIPPED);
  });

  it('takes the values switch by switch and leaves the others at their default', () => {
    expect(v04Config({ wiring: 'retry', offset: 'durable' })).toEqual({ ...SHIPPED, wiring: 'retry', offset: 'durable' });
    expect(v04Config({ transport: 'fetch' }).wiring).toBe('swallow');
    // Values of switches owned by the world or a scenario are none of the runtime's business.
    expect(v04Config({ idempotency: 'wired-gate', 'resume-offset': 'reported' })).toEqual(SHIPPED);
  });

  it('reads every value each of its switches declares, and gives each switch its declared default', () => {
    for (const definition of V04_SWITCHES) {
      const field = fieldOf(definition.name);
      expect(v04Config({})[field]).toBe(definition.defaultValue);
      for (const value of definition.values) expect(v04Config({ [definition.name]: value })[field]).toBe(value);
    }
  });

  it('never yields a value outside a switch, even for one the simulator would have refused', () => {
    expect(v04Config({ wiring: 'maybe', offset: 'retry', streams: 'toString' })).toEqual(SHIPPED);
  });
});

describe('the runtime\'s switches as a run resolves them', () => {
  it("'v0.4' is every default; a preset and overrides apply switch by switch", () => {
    expect(v04Config(resolved('v0.4', {}))).toEqual(SHIPPED);
    expect(v04Config(resolved('both-fixes', {}))).toEqual({ ...SHIPPED, wiring: 'retry', offset: 'durable' });
    expect(v04Config(resolved('both-fixes', { wiring: 'reject' }))).toEqual({ ...SHIPPED, wiring: 'reject', offset: 'durable' });
  });

  it('refuses an unknown preset with a ConfigError naming the known ones', () => {
    expect(() => resolved('v9', {})).toThrow(ConfigError);
    expect(() => resolved('v9', {})).toThrow(/unknown config "v9" \(known: v0\.4, both-fixes, hardened, history-base\)/);
    // An inherited property name is not a preset.
    expect(() => resolved('toString', {})).toThrow(ConfigError);
  });

  it('refuses an unknown value with a ConfigError listing the allowed values of that switch', () => {
    expect(() => resolved('v0.4', { wiring: 'maybe' })).toThrow(ConfigError);
    expect(() => resolved('v0.4', { wiring: 'maybe' })).toThrow('allowed: swallow, reject, retry, empty, retry-same-db');
    // A value of another switch is still unknown here.
    expect(() => resolved('v0.4', { offset: 'retry' })).toThrow('unknown value "retry" for --offset (allowed: minus-one, durable, durable-raw, tail, server-seek)');
  });

  it('does not let an override leak into the preset', () => {
    resolved('both-fixes', { wiring: 'reject' });
    expect(resolved('both-fixes', {})['wiring']).toBe('retry');
  });

  it('each offset mode asks the server for the resume offset it needs, unless the run names one', () => {
    const offsetSwitch = V04_SWITCHES.find((definition) => definition.name === 'offset')!;
    for (const mode of OFFSET_MODES) expect(RESUME_OFFSET_SOURCES).toContain(offsetSwitch.implies?.(mode)['resume-offset']);
    const withWorld = [...V04_SWITCHES, ...WORLD_SWITCHES];
    expect(resolveSwitchValues(withWorld, 'v0.4', { offset: 'durable' })['resume-offset']).toBe('reported');
    expect(resolveSwitchValues(withWorld, 'v0.4', { offset: 'server-seek' })['resume-offset']).toBe('acked-seek');
    expect(resolveSwitchValues(withWorld, 'v0.4', {})['resume-offset']).toBe('none');
    expect(resolveSwitchValues(withWorld, 'v0.4', { offset: 'durable', 'resume-offset': 'none' })['resume-offset']).toBe('none');
  });

  it('prints the switches in a stable order', () => {
    const values = resolved('v0.4', { transport: 'fetch', wiring: 'empty' });
    expect(listSwitchValues(V04_SWITCHES, values)).toBe(
      'wiring=empty offset=minus-one streams=fast transport=fetch claim-retry=none done-retry=none stop-done=send stream-reconnect=backoff stream-reset=any-state lease-renewal=none lease-fence=none renewal-timeout=none renewal-retry=none handler-signal=none read-watchdog=none failed-wake=ack claim-guard=none request-timeout=none next-wake=ignore wake-batch=all claim-deferral=fifo stop-ack=given claim-concurrency=concurrent stop-gate=accepting-claims',
    );
    expect(describeSwitchValues(V04_SWITCHES, values)).toBe('wiring=empty transport=fetch');
  });
});
