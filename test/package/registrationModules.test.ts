import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseConfigModule, CONFIG_MODULE_VARIABLE } from '../../cli/configModule.ts';
import { UsageError } from '../../cli/UsageError.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { replayTokenFor } from '../../scenarios/replayTokens.ts';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const MAIN = join(ROOT, 'cli/main.ts');
const API_URL = pathToFileURL(join(ROOT, 'api/index.ts')).href;
const MINIMAL_URL = pathToFileURL(join(ROOT, 'scenarios/daily-digest/minimalDigestScenario.ts')).href;

/** The scenario the registration modules of these tests register: the minimal digest under another name. */
const COPY = 'minimal-digest-again';
const registersCopy = `import { registerScenario } from '${API_URL}';
import { minimalDigestScenario } from '${MINIMAL_URL}';
registerScenario({ ...minimalDigestScenario, name: '${COPY}' });
`;

const scratch = mkdtempSync(join(tmpdir(), 'wake-sim-registrations-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh folder under the scratch folder with these files in it. */
function project(name: string, files: Readonly<Record<string, string>>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/** `npm run sim -- <args>` with `cwd` as the current directory, without WAKE_SIM_CONFIG unless `env` sets it. */
async function simIn(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { [CONFIG_MODULE_VARIABLE]: _inherited, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [TSX_CLI, MAIN, ...args], { cwd, env: { ...inherited, ...env }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A token for the fault-free story of the copied scenario (its default faults, every answer ordinary). */
function copyToken(): string {
  const spec = runSpecFor({ scenario: 'minimal-digest' });
  return replayTokenFor({ ...spec, scenario: COPY }, []);
}

describe('which registration module the command line loads', () => {
  const empty = project('empty', {});

  it('--config-module PATH, before or after the command, in either spelling; the option leaves the arguments', () => {
    expect(chooseConfigModule(['--config-module', 'a.mjs', 'replay', 'T'], {}, empty)).toEqual({ args: ['replay', 'T'], module: 'a.mjs' });
    expect(chooseConfigModule(['replay', 'T', '--config-module=b.mjs'], {}, empty)).toEqual({ args: ['replay', 'T'], module: 'b.mjs' });
    expect(chooseConfigModule(['explore', '--', '--config-module', 'c.mjs'], {}, empty)).toEqual({ args: ['explore', '--', '--config-module', 'c.mjs'], module: undefined });
  });

  it('the option wins over the environment, which wins over the files of the current directory', () => {
    const withFile = project('with-file', { 'wake-sim.config.mjs': '' });
    expect(chooseConfigModule(['explore', '--config-module', 'a.mjs'], { [CONFIG_MODULE_VARIABLE]: 'env.mjs' }, withFile).module).toBe('a.mjs');
    expect(chooseConfigModule(['explore'], { [CONFIG_MODULE_VARIABLE]: 'env.mjs' }, withFile).module).toBe('env.mjs');
    expect(chooseConfigModule(['explore'], { [CONFIG_MODULE_VARIABLE]: '' }, withFile).module).toBe('wake-sim.config.mjs');
    expect(chooseConfigModule(['explore'], {}, empty).module).toBeUndefined();
  });

  it('among the files, JavaScript before TypeScript', () => {
    expect(chooseConfigModule([], {}, project('both', { 'wake-sim.config.ts': '', 'wake-sim.config.js': '' })).module).toBe('wake-sim.config.js');
    expect(chooseConfigModule([], {}, project('ts-only', { 'wake-sim.config.ts': '' })).module).toBe('wake-sim.config.ts');
  });

  it('a missing path or a second option is a usage error', () => {
    expect(() => chooseConfigModule(['replay', '--config-module'], {}, empty)).toThrow(UsageError);
    expect(() => chooseConfigModule(['--config-module', '--json'], {}, empty)).toThrow(/needs a path/);
    expect(() => chooseConfigModule(['--config-module=a.mjs', '--config-module=b.mjs'], {}, empty)).toThrow(/given twice/);
  });
});

describe('the command line runs with the user registrations', () => {
  it('replays a token of a scenario that only the wake-sim.config.mjs of the current directory registers', async () => {
    const token = copyToken();
    const withConfig = await simIn(project('replay-config', { 'wake-sim.config.mjs': registersCopy }), ['replay', token]);
    expect(withConfig.stderr).toBe('');
    expect(withConfig.code).toBe(0);
    expect(withConfig.stdout.split('\n')[0]).toMatch(new RegExp(`^${COPY} · `));
    // The same token where nothing registers the scenario: one line, exit 2.
    const without = await simIn(project('replay-bare', {}), ['replay', token]);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(new RegExp(`^sim: .*unknown scenario "${COPY}".*\\n$`));
  });

  it('--config-module names a module anywhere, relative to the current directory', async () => {
    const dir = project('replay-option', {});
    mkdirSync(join(dir, 'sim'));
    writeFileSync(join(dir, 'sim/registrations.mjs'), registersCopy);
    const result = await simIn(dir, ['replay', copyToken(), '--config-module', 'sim/registrations.mjs']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('worker threads import the same module, TypeScript included: a search over --workers 2 runs the registered scenario', async () => {
    const dir = project('workers', { 'wake-sim.config.mts': registersCopy });
    const result = await simIn(dir, ['explore', '--scenario', COPY, '--workers', '2', '--runs', '16', '--property', 'duplicate-action', '--json', '--no-progress']);
    expect(result.stderr).toBe('');
    // 0 or 1 is a search that ran; a worker that did not know the scenario would end it as an internal error (3).
    expect([0, 1]).toContain(result.code);
    expect(JSON.parse(result.stdout)).toMatchObject({ scenario: COPY, runsRequested: 16 });
  });

  it('a module that is missing, or throws while it loads, is one line on stderr and exit 2', async () => {
    const missing = await simIn(project('missing', {}), ['replay', copyToken()], { [CONFIG_MODULE_VARIABLE]: 'nowhere.mjs' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('sim: registration module nowhere.mjs not found\n');
    const failing = await simIn(project('failing', { 'wake-sim.config.mjs': "throw new TypeError('no runtime today');\n" }), ['replay', copyToken()]);
    expect(failing.code).toBe(2);
    expect(failing.stderr).toBe('sim: registration module wake-sim.config.mjs failed to load: TypeError: no runtime today\n');
  });

  it("a registered scenario whose setUp throws: exit 3, naming the scenario and its error, not the tool's bug", async () => {
    const throwsInSetUp = `import { registerScenario } from '${API_URL}';
import { minimalDigestScenario } from '${MINIMAL_URL}';
registerScenario({ ...minimalDigestScenario, name: '${COPY}', setUp: () => { throw new RangeError('no entity today'); } });
`;
    const dir = project('setup-throws', { 'wake-sim.config.mjs': throwsInSetUp });
    const result = await simIn(dir, ['replay', copyToken()]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`^sim: scenario ${COPY} threw while setting up its world: no entity today \\(a bug of that scenario's code: yours if a registration module added it, else please report\\)\nRangeError: no entity today\n`));
    expect(result.stderr).not.toContain('internal error');
    // The same from worker threads, whose error reaches the main thread as a copy.
    const fromWorkers = await simIn(dir, ['explore', '--scenario', COPY, '--workers', '2', '--runs', '4', '--no-progress']);
    expect(fromWorkers.code).toBe(3);
    expect(fromWorkers.stderr).toMatch(new RegExp(`^sim: scenario ${COPY} threw while setting up its world: no entity today \\(a bug of that scenario's code`));
    expect(fromWorkers.stderr).not.toContain('internal error');
  });

  it('help is printed all the same when the module fails, after a note that it lists the built-ins only', async () => {
    const dir = project('failing-help', { 'wake-sim.config.mjs': "throw new TypeError('no runtime today');\n" });
    for (const args of [['--help'], ['explore', '--help'], ['help', 'replay']]) {
      const result = await simIn(dir, args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: npm run sim -- /);
      expect(result.stderr).toBe('sim: registration module wake-sim.config.mjs failed to load: TypeError: no runtime today (the help below lists the built-in runtimes, scenarios and faults only)\n');
    }
  });
});
