import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Folders whose code runs inside a simulated run. */
const SIMULATED_CODE = ['sim', 'world', 'runtime', 'scenarios', 'properties', 'models'];
/** Sources of real time, randomness and I/O that would make a run depend on the machine. */
const FORBIDDEN = [/\bDate\.now\b/, /\bnew Date\b/, /\bMath\.random\b/, /\bperformance\.now\b/, /\bsetTimeout\b/, /\bsetInterval\b/, /\bprocess\.hrtime\b/, /\bfetch\(/, /from 'node:(net|http|https|dgram|fs)'/];
/** The one allowed macrotask: the kernel's microtask drain, which runs between steps, never inside one. */
const ALLOWED = new Set([join('sim', 'scheduler', 'drainMicrotasks.ts')]);
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
