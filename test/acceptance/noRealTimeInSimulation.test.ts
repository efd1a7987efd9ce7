import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Folders of the simulator's own code, which must take time, randomness and I/O from the simulation explicitly. The
 * runtimes under test (`runtimes/`) use the process's globals on purpose: a run serves them from the simulation for
 * the process they run in (sim/hermetic/), and catches their leaks at run time.
 */
const SIMULATED_CODE = ['sim', 'world', 'scenarios', 'properties', 'models'];
/**
 * A line of entity code, which runs as a simulated process and may use its globals as any program does, says so with
 * this marker in a comment.
 */
const PROCESS_CODE_MARKER = 'runs as a simulated process';
/** Sources of real time, randomness and I/O that would make a run depend on the machine. */
const FORBIDDEN = [/\bDate\.now\b/, /\bnew Date\b/, /\bMath\.random\b/, /\bperformance\.now\b/, /\bsetTimeout\b/, /\bsetInterval\b/, /\bprocess\.hrtime\b/, /\bfetch\(/, /from 'node:(net|http|https|dgram|fs)'/];
/**
 * Allowed: the kernel's microtask drain (the one macrotask, run between steps, never inside one), and the loader of
 * the user's registration modules, which reads files before any run starts.
 */
const ALLOWED = new Set([
  join('sim', 'scheduler', 'drainMicrotasks.ts'),
  join('scenarios', 'registry', 'registrationModules.ts'),
  join('scenarios', 'registry', 'typeScriptImports.ts'),
]);
/** The hermetic globals, which name the real APIs to replace them during a run (and catch what this scan cannot). */
const ALLOWED_FOLDER = join('sim', 'hermetic');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('simulated code', () => {
  it('uses no real clock, randomness, timer or socket', () => {
    const leaks: string[] = [];
    for (const file of SIMULATED_CODE.flatMap(sourceFiles)) {
      if (ALLOWED.has(file) || file.startsWith(ALLOWED_FOLDER)) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (line.includes(PROCESS_CODE_MARKER)) return;
          const code = line.replace(/\/\/.*$/, '');
          for (const pattern of FORBIDDEN) if (pattern.test(code)) leaks.push(`${file}:${index + 1}: ${line.trim()}`);
        });
    }
    expect(leaks).toEqual([]);
  });

  it('the scan itself catches a planted leak', () => {
    expect(FORBIDDEN.some((pattern) => pattern.test('const t = Date.now();'))).toBe(true);
    expect(FORBIDDEN.some((pattern) => pattern.test('setTimeout(resume, 5)'))).toBe(true);
  });
});
