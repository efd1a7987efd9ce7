import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { replayTokenFor } from '../../scenarios/replayTokens.ts';
import { itExplores } from '../../scenarios/testing/itExplores.ts';
import { simCheck, SimPropertyError } from '../../scenarios/testing/simCheck.ts';
import { BOTH_FIXES, digestSpec, HARDENED, V04 } from './helpers.ts';

const execFileAsync = promisify(execFile);
const THIS_FILE = 'test/acceptance/simProperty.test.ts';
const FIXTURE = 'test/acceptance/fixtures/simReplayFixture.test.ts';

/** Runs `body` with SIM_REPLAY set to `token` (or unset), then puts the variable back. */
async function withSimReplay<T>(token: string | undefined, body: () => Promise<T>): Promise<T> {
  const saved = process.env['SIM_REPLAY'];
  if (token === undefined) delete process.env['SIM_REPLAY'];
  else process.env['SIM_REPLAY'] = token;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env['SIM_REPLAY'];
    else process.env['SIM_REPLAY'] = saved;
  }
}

describe('simCheck and itExplores: simulation properties in a vitest suite', () => {
  // How a user writes one: explores 30 runs, fails with a replayable story if any property breaks.
  itExplores('the hardened preset: no violation of any property in 30 runs', digestSpec(HARDENED), { runs: 30 });

  it('a v0.4 failure names the property and the story, and says how to replay it two ways', async () => {
    const checking = simCheck(digestSpec(V04), { runs: 50, properties: ['duplicate-action'], maxShrinkAttempts: 60, testFile: THIS_FILE, replay: null });
    await expect(checking).rejects.toThrow(/^duplicate-action: digest-1 digest:0 performed twice/);
    await expect(checking).rejects.toBeInstanceOf(SimPropertyError);
    const error = (await checking.catch((caught: unknown) => caught)) as SimPropertyError;
    const lines = error.message.split('\n');
    // The story's faults: the v0.4 duplicate needs a preload failure (models check), with or without a redeploy.
    expect(lines[1]).toMatch(/^ {2}daily-digest · v0.4 · wiring=swallow offset=minus-one idempotency=raw-collection · faults: .*; found in run \d+ of at most 50 \(seed 1, strategy random\); the story: \d+ steps, faults: .*preload-(not-found|foreign-item) ×\d/);
    expect(error.message).toContain(`npm run sim -- replay ${error.replayToken}`);
    expect(error.message).toContain(`SIM_REPLAY=${error.replayToken} npx vitest run ${THIS_FILE}`);
    expect(error.message).toContain(`trace hash ${error.traceHash}`);
    expect(error.property).toBe('duplicate-action');
  });

  it('with SIM_REPLAY set, replays that story instead of exploring, and fails or passes by it', async () => {
    const spec = digestSpec(V04);
    const failing = (await simCheck(spec, { runs: 50, properties: ['duplicate-action'], maxShrinkAttempts: 60, replay: null }).catch((caught: unknown) => caught)) as SimPropertyError;
    // The failing story, replayed from the environment: the same failure, the same trace.
    const replayed = (await withSimReplay(failing.replayToken, () => simCheck(spec, { properties: ['duplicate-action'] })).catch((caught: unknown) => caught)) as SimPropertyError;
    expect(replayed).toBeInstanceOf(SimPropertyError);
    expect(replayed.message).toMatch(/replayed from SIM_REPLAY, not explored/);
    expect(replayed.traceHash).toBe(failing.traceHash);
    // A fault-free story of the same configuration passes; a token of another configuration runs nothing.
    await expect(withSimReplay(replayTokenFor(spec, []), () => simCheck(spec, { properties: ['duplicate-action'] }))).resolves.toMatchObject({ mode: 'replayed' });
    await expect(withSimReplay(failing.replayToken, () => simCheck(digestSpec(BOTH_FIXES)))).resolves.toMatchObject({ mode: 'not-this-spec' });
    await expect(withSimReplay('ws1.garbage.00000000', () => simCheck(spec))).rejects.toThrow(/^SIM_REPLAY is not a replay token this build reads: /);
  });

  it.skipIf(process.env['SIM_REPLAY'] !== undefined)('the printed SIM_REPLAY command re-runs the failing test of a suite on its story (child vitest)', { timeout: 120_000 }, async () => {
    const vitest = async (extraEnv: Record<string, string>): Promise<{ code: number; output: string }> => {
      const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'SIM_REPLAY'));
      try {
        const { stdout, stderr } = await execFileAsync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', FIXTURE], {
          env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0', WAKE_SIM_FIXTURE: '1', ...extraEnv },
          maxBuffer: 64 * 1024 * 1024,
        });
        return { code: 0, output: stdout + stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, output: failed.stdout + failed.stderr };
      }
    };
    const explored = await vitest({});
    expect(explored.code).toBe(1);
    expect(explored.output).toMatch(/duplicate-action: digest-1 digest:0 performed twice/);
    const command = new RegExp(`SIM_REPLAY=(ws2\\.\\S+) npx vitest run ${FIXTURE.replaceAll('.', '\\.')}`).exec(explored.output);
    expect(command).not.toBeNull();

    const replayed = await vitest({ SIM_REPLAY: command![1]! });
    expect(replayed.code).toBe(1);
    expect(replayed.output).toMatch(/replayed from SIM_REPLAY, not explored/);
    expect(replayed.output).toMatch(/1 failed \| 1 skipped/); // the other configuration's test is skipped
  });
});
