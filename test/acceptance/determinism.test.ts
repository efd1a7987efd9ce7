import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { runSeed } from '../../sim/explore/runSeed.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { replayTokenFor } from '../../scenarios/replayTokens.ts';

import { ALL_FAULTS, BOTH_FIXES, digestSpec, HARDENED, V04 } from './helpers.ts';

const execFileAsync = promisify(execFile);

describe('determinism', () => {
  it('gives the same trace hash for 300 seeds run twice', async () => {
    const hashes = async (): Promise<string[]> => {
      const result: string[] = [];
      for (let index = 0; index < 300; index += 1) {
        // Alternate configurations and use every fault kind, to cover as many code paths as the runs reach.
        const spec = digestSpec([V04, BOTH_FIXES, HARDENED][index % 3]!, ALL_FAULTS);
        result.push((await runScenario(spec, new RandomChoiceSource(runSeed(99, index)))).traceHash);
      }
      return result;
    };
    const first = await hashes();
    const second = await hashes();
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(300);
  });

  it('replays a token to the same hash in two separate processes', async () => {
    const spec = digestSpec(V04, ALL_FAULTS);
    const original = await runScenario(spec, new RandomChoiceSource(12345));
    const token = replayTokenFor(spec, original.choices);
    const replayInChild = async (): Promise<string> => {
      const child = await execFileAsync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'replay', token, '--json']).catch(
        (error: { stdout: string; code: number }) => error,
      );
      return (JSON.parse(child.stdout) as { traceHash: string }).traceHash;
    };
    const [a, b] = await Promise.all([replayInChild(), replayInChild()]);
    expect(a).toBe(original.traceHash);
    expect(b).toBe(original.traceHash);
  });
});
