import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeReplayToken, encodeReplayToken, ReplayTokenError } from '../../sim/replay/replayToken.ts';

describe('replay tokens', () => {
  it('round-trips any spec and choice list', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 2 ** 40 })), fc.dictionary(fc.string(), fc.string()), (choices, spec) => {
        const decoded = decodeReplayToken(encodeReplayToken({ spec, choices }));
        expect(decoded.choices).toEqual(choices);
        expect(decoded.spec).toEqual(spec);
      }),
    );
  });

  it('refuses garbled tokens, other versions and edits with one-line reasons', () => {
    const token = encodeReplayToken({ spec: { a: 1 }, choices: [1, 2, 300] });
    const [prefix, body, sum] = token.split('.');
    const refuse = (text: string): string => {
      try {
        decodeReplayToken(text);
      } catch (error) {
        expect(error).toBeInstanceOf(ReplayTokenError);
        expect((error as Error).message).not.toContain('\n');
        return (error as Error).message;
      }
      throw new Error(`accepted ${text}`);
    };
    expect(refuse('hello')).toMatch(/malformed/);
    expect(refuse(`${prefix}.${body}x.${sum}`)).toMatch(/checksum/);
    expect(refuse(`ws1.${body}.${sum}`)).toMatch(/version 1 is not supported/);
    expect(refuse(`ws3.${body}.${sum}`)).toMatch(/version 3 is not supported/);
    expect(refuse(`${prefix}.${body}`)).toMatch(/malformed/);
  });
});
