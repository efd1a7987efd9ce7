import { relative } from 'node:path';
import { test } from 'vitest';
import type { RunSpec } from '../index.ts';
import { simCheck, type SimCheckOptions } from './simCheck.ts';

/** Time a test of {@link itExplores} may take unless told otherwise: exploring and shrinking are whole simulations. */
const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * A vitest test that explores `spec` and fails on the first (shrunk) violation of `options.properties`, with the
 * property, a one-line summary, the replay command and `SIM_REPLAY=<token> npx vitest run <this file>` in its
 * message. With `SIM_REPLAY` set the test replays that one story instead of exploring; tests whose scenario,
 * switches or faults differ from the token's are skipped.
 *
 * ```ts
 * itExplores('both fixes never post twice', { scenario: 'daily-digest', config: BOTH_FIXES, faults: ['redeploy'] }, { runs: 200 });
 * ```
 */
export function itExplores(name: string, spec: RunSpec, options: Omit<SimCheckOptions, 'testFile'> = {}, timeoutMs: number = DEFAULT_TIMEOUT_MS): void {
  test(name, { timeout: timeoutMs }, async (context) => {
    const outcome = await simCheck(spec, { ...options, testFile: relative(process.cwd(), context.task.file.filepath) });
    if (outcome.mode === 'not-this-spec') context.skip(`SIM_REPLAY replays ${outcome.tokenSpec}`);
  });
}
