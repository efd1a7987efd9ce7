import { describe, expect, it } from 'vitest';
import { SettledLowWaterMark } from '../../../runtimes/v06/runner/SettledLowWaterMark.ts';

describe('v0.6 settled low-water mark (offset=durable)', () => {
  it('stays at the start until every wake of the first batch settled, then names the batch end', () => {
    const mark = new SettledLowWaterMark('-1');
    const [first, second] = mark.batchRead('0_100', 2);
    first!();
    expect(mark.offset).toBe('-1');
    second!();
    expect(mark.offset).toBe('0_100');
  });

  it('never passes a batch with an unsettled wake, whatever later batches do', () => {
    const mark = new SettledLowWaterMark('0_050');
    const [early] = mark.batchRead('0_100', 1);
    const [late] = mark.batchRead('0_200', 1);
    late!();
    expect(mark.offset).toBe('0_050');
    early!();
    expect(mark.offset).toBe('0_200');
  });

  it('ignores batches without wakes (a caught-up answer names the tail, where no wake sits)', () => {
    const mark = new SettledLowWaterMark('-1');
    expect(mark.batchRead('0_300', 0)).toEqual([]);
    expect(mark.offset).toBe('-1');
  });

  it('counts a wake settled once, however often it is settled', () => {
    const mark = new SettledLowWaterMark('-1');
    const [twice, other] = mark.batchRead('0_100', 2);
    twice!();
    twice!();
    expect(mark.offset).toBe('-1');
    other!();
    expect(mark.offset).toBe('0_100');
  });
});
