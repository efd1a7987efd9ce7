// The acceptance test of the package (issue 13, "Done when"): pack the project, install the tarball into a new
// project that has no access to this source tree, and there — with a runtime, a scenario and a property of that
// project's own (test/package/consumer/) — find the planted duplicate, shrink it, and replay its token with
// `npx wake-sim replay`. Needs the npm registry for the new project's dependencies; without it the test fails, saying
// so, within the npm timeouts below.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONSUMER_SOURCES = join(ROOT, 'test/package/consumer');
/** Folders of the project that are not its sources: the packed copy starts without them. */
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'out', 'scratch']);
/** The new project's tools, at the versions installed here (so npm finds them in its cache when it can). */
const CONSUMER_TOOLS = ['vitest', 'tsx', 'typescript', '@types/node'];

/** Guards against a child that hangs (the registry unreachable, say); generous, since nothing asserts times. */
const PACK_TIMEOUT_MS = 240_000;
const INSTALL_TIMEOUT_MS = 300_000;
const STEP_TIMEOUT_MS = 240_000;
/** npm's own limits per request, so an offline registry fails the install well before INSTALL_TIMEOUT_MS. */
const NPM_NETWORK_OPTIONS = ['--fetch-timeout=30000', '--fetch-retries=1', '--no-audit', '--no-fund'];

/**
 * What a child must not inherit: the outer npm script's package and lifecycle (`npm test` here), vitest's own
 * variables, node options, and the wake-sim variables this suite may run under. npm's configuration (`npm_config_*`:
 * registry, certificates, proxy) is kept.
 */
const NOT_INHERITED = /^(npm_package_|npm_lifecycle_|npm_command$|VITEST|NODE_OPTIONS$|WAKE_SIM_|SIM_REPLAY$)/;

/** The environment of every child. */
const CHILD_ENV: Record<string, string> = {
  ...Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !NOT_INHERITED.test(entry[0]))),
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  CI: '1',
};

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to its end in its own process group, which a timeout kills as a whole (npm and vitest start
 * children of their own). Resolves with any exit status; rejects when it had to be killed.
 */
function run(command: string, args: readonly string[], cwd: string, timeoutMs: number, env: Readonly<Record<string, string>> = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env: { ...CHILD_ENV, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (killed) reject(new Error(`${command} ${args.join(' ')} had not finished after ${timeoutMs / 1_000} s and was stopped; its last output:\n${tail(stdout + stderr)}`));
      else resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** The last lines of a child's output, for failure messages. */
function tail(text: string, lines = 25): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Fails with the command's output unless it exited with `expected`. */
function expectExit(outcome: Outcome, expected: number, what: string): void {
  if (outcome.code !== expected) throw new Error(`${what}: exit ${outcome.code}, expected ${expected}\n${tail(outcome.stdout)}\n${tail(outcome.stderr)}`);
}

/** `npx --no -- <args>` in the project: its own bins only (nothing fetched), and no npm option taken from `args`. */
function npx(project: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Outcome> {
  return run('npx', ['--no', '--', ...args], project, STEP_TIMEOUT_MS, env);
}

const installedVersion = (name: string): string => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

/** What `npm pack --json` says about the tarball. */
interface PackReport {
  readonly filename: string;
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

/** Copies the sources to `dir` (with this checkout's node_modules linked in, for the build) and packs them there. */
async function packCleanCopy(dir: string): Promise<PackReport & { readonly tarball: string }> {
  const copy = join(dir, 'source');
  cpSync(ROOT, copy, { recursive: true, filter: (path) => !relative(ROOT, path).split(sep).some((part) => NOT_COPIED.has(part)) });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], copy, PACK_TIMEOUT_MS);
  expectExit(packed, 0, 'npm pack (its prepack script builds dist/)');
  const [report] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as PackReport[];
  return { ...report!, tarball: join(dir, report!.filename) };
}

/** A new project beside the copy: the consumer's files, its package.json, and the tarball installed from the registry. */
async function installConsumer(dir: string, tarball: string): Promise<string> {
  const project = join(dir, 'reminders');
  mkdirSync(project);
  cpSync(CONSUMER_SOURCES, project, { recursive: true });
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'reminders-sim', private: true, type: 'module' }, null, 2)}\n`);
  const tools = CONSUMER_TOOLS.map((name) => `${name}@${installedVersion(name)}`);
  const installed = await run('npm', ['install', ...NPM_NETWORK_OPTIONS, tarball, ...tools], project, INSTALL_TIMEOUT_MS);
  if (installed.code !== 0) {
    throw new Error(`npm install in the new project failed (exit ${installed.code}); this test needs the npm registry for the project's dependencies.\n${tail(installed.stderr)}`);
  }
  return project;
}

describe('the packed package, installed in a project of its own', () => {
  const work = mkdtempSync(join(tmpdir(), 'wake-sim-pack-'));
  let pack: PackReport & { readonly tarball: string };
  let project: string;
  let finding: { readonly token: string; readonly traceHash: string; readonly runIndex: number };

  beforeAll(async () => {
    pack = await packCleanCopy(work);
    project = await installConsumer(work, pack.tarball);
  }, PACK_TIMEOUT_MS + INSTALL_TIMEOUT_MS);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the tarball holds the build (entries, declarations, bin, worker entry), and no sources or tests', () => {
    const paths = pack.files.map((file) => file.path);
    for (const entry of ['index', 'kernel', 'protocol', 'testing']) expect(paths).toEqual(expect.arrayContaining([`dist/api/${entry}.js`, `dist/api/${entry}.d.ts`]));
    expect(paths).toEqual(expect.arrayContaining(['dist/cli/bin.js', 'dist/scenarios/parallel/worker.mjs', 'package.json', 'README.md']));
    expect(paths.filter((path) => path.startsWith('test/') || path.startsWith('examples/') || (path.endsWith('.ts') && !path.endsWith('.d.ts')))).toEqual([]);
  });

  it('the project type-checks against the package types, and wake-sim/kernel loads on its own', { timeout: STEP_TIMEOUT_MS }, async () => {
    expectExit(await npx(project, ['tsc', '-p', '.']), 0, 'tsc in the new project');
    const kernel = await run(process.execPath, ['--input-type=module', '--eval', "const k = await import('wake-sim/kernel'); console.log(typeof k.Scheduler, typeof k.shrinkChoices);"], project, STEP_TIMEOUT_MS);
    expectExit(kernel, 0, 'importing wake-sim/kernel');
    expect(kernel.stdout.trim()).toBe('function function');
  });

  it('its vitest suite finds the planted duplicate, shrinks it to one redeploy, replays it, and passes the fixed runtime', { timeout: STEP_TIMEOUT_MS }, async () => {
    const findingFile = join(work, 'finding.json');
    expectExit(await npx(project, ['vitest', 'run'], { FINDING_FILE: findingFile }), 0, "the new project's vitest suite");
    finding = JSON.parse(readFileSync(findingFile, 'utf8')) as typeof finding;
    expect(finding.token).toMatch(/^ws\d+\./);
  });

  it('npx wake-sim replay <token> reproduces it there: exit 1, the same trace hash', { timeout: STEP_TIMEOUT_MS }, async () => {
    const replayed = await npx(project, ['wake-sim', 'replay', finding.token]);
    expectExit(replayed, 1, 'npx wake-sim replay');
    expect(replayed.stdout).toMatch(/^reminders · little-runtime · drain=abandon\n/);
    expect(replayed.stdout).toContain('duplicate-action: reproduced\n');
    expect(replayed.stdout).toContain(`trace hash ${finding.traceHash}\n`);
  });

  it('npx wake-sim explore --workers 2 loads the registrations in every worker and tells the same story as the suite', { timeout: STEP_TIMEOUT_MS }, async () => {
    const search = ['--scenario', 'reminders', '--runtime', 'little-runtime', '--property', 'duplicate-action', '--runs', '300', '--workers', '2'];
    const explored = await npx(project, ['wake-sim', 'explore', ...search, '--json', '--no-progress']);
    expectExit(explored, 1, 'npx wake-sim explore --workers 2');
    const report = JSON.parse(explored.stdout) as { violations: Array<{ property: string; runIndex: number; replay: string; traceHash: string }> };
    expect(report.violations[0]).toMatchObject({ property: 'duplicate-action', runIndex: finding.runIndex, replay: finding.token, traceHash: finding.traceHash });
  });

  it('the installed command names itself in its help and in the commands it prints: npx wake-sim, not npm run sim --', { timeout: STEP_TIMEOUT_MS }, async () => {
    const help = await npx(project, ['wake-sim', '--help']);
    expectExit(help, 0, 'npx wake-sim --help');
    expect(help.stdout).toMatch(/^Usage: npx wake-sim <command> \[options\]\n/);
    expect(help.stdout).not.toContain('npm run sim');
  });

  it('a registration module that is not there is one line and exit 2', { timeout: STEP_TIMEOUT_MS }, async () => {
    const outcome = await npx(project, ['wake-sim', 'replay', finding.token, '--config-module', 'elsewhere.config.mjs']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe('wake-sim: registration module elsewhere.config.mjs not found\n');
  });
});
