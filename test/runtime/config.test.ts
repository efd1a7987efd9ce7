import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, resolveConfig } from '../../runtime/config.ts';

describe('resolveConfig', () => {
  it("'v0.4' with no overrides is the shipped combination", () => {
    expect(resolveConfig('v0.4', {})).toEqual({ wiring: 'swallow', offset: 'minus-one', idempotency: 'raw-collection' });
  });

  it('applies overrides switch by switch and leaves the others at the preset', () => {
    expect(resolveConfig('v0.4', { wiring: 'retry', offset: 'durable' })).toEqual({
      wiring: 'retry',
      offset: 'durable',
      idempotency: 'raw-collection',
    });
    expect(resolveConfig('v0.4', { idempotency: 'wired-gate' }).wiring).toBe('swallow');
  });

  it('rejects an unknown preset with a ConfigError naming the known ones', () => {
    expect(() => resolveConfig('v9', {})).toThrow(ConfigError);
    expect(() => resolveConfig('v9', {})).toThrow(/unknown config "v9" \(known: v0\.4\)/);
    // An inherited property name is not a preset.
    expect(() => resolveConfig('toString', {})).toThrow(ConfigError);
  });

  it('rejects an unknown value with a ConfigError listing the allowed values of that switch', () => {
    expect(() => resolveConfig('v0.4', { wiring: 'maybe' })).toThrow(ConfigError);
    expect(() => resolveConfig('v0.4', { wiring: 'maybe' })).toThrow('allowed: swallow, reject, retry, empty');
    // A value of another switch is still unknown here.
    expect(() => resolveConfig('v0.4', { offset: 'retry' })).toThrow(
      'unknown value "retry" for --offset (allowed: minus-one, durable, durable-raw, tail, server-seek)',
    );
  });

  it('does not let an override leak into the preset object', () => {
    resolveConfig('v0.4', { wiring: 'reject' });
    expect(resolveConfig('v0.4', {}).wiring).toBe('swallow');
  });
});

describe('describeConfig', () => {
  it('prints the switches in a stable order', () => {
    expect(describeConfig(resolveConfig('v0.4', { wiring: 'empty' }))).toBe('wiring=empty offset=minus-one idempotency=raw-collection');
  });
});
