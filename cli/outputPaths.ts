import { existsSync, mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './UsageError.ts';

/**
 * Checks for the places a command writes to (`--out DIR`, `--doc FILE`), made before a search spends its time: a
 * path that cannot be written is a usage error up front, never a stack trace after the exploration.
 */

/**
 * Creates `dir` if needed and proves that a file can be written there by writing and removing a probe file (root
 * passes every permission check, so only a real write tells, e.g. under `/proc`). `flag` names the option in the
 * message (`--out`).
 */
export function ensureWritableDir(dir: string, flag: string): void {
  if (dir.trim() === '') throw new UsageError(`${flag} needs a directory, not an empty string`);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${flag} ${dir}: is a file, not a directory`);
  const failure = writeProbe(dir);
  if (failure !== undefined) throw new UsageError(`${flag} ${dir}: cannot write there (${failure})`);
}

/**
 * Checks that `path` can be written as a file: not empty, not a directory, its directory created and writable, and
 * the file itself writable when it exists (its contents are not touched).
 */
export function ensureWritableFile(path: string, flag: string): void {
  if (path.trim() === '') throw new UsageError(`${flag} needs a file path, not an empty string`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${flag} ${path}: is a directory, not a file`);
  const dir = dirname(path);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${flag} ${path}: ${dir} is a file, not a directory`);
  const failure = writeProbe(dir);
  if (failure !== undefined) throw new UsageError(`${flag} ${path}: cannot write in ${dir} (${failure})`);
  if (!existsSync(path)) return;
  try {
    // Opening for append changes nothing in the file and fails the way the later write would.
    writeFileSync(path, '', { flag: 'a' });
  } catch (error) {
    throw new UsageError(`${flag} ${path}: cannot write this file (${errorCode(error)})`);
  }
}

/** Creates `dir` and writes and removes a probe file in it; the error code when that fails, else undefined. */
function writeProbe(dir: string): string | undefined {
  try {
    makeDirectories(dir);
    const probe = join(dir, `.wake-sim-write-probe-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
    return undefined;
  } catch (error) {
    return errorCode(error);
  }
}

/**
 * `mkdir -p`, one level at a time. Node's recursive `mkdirSync` spins forever on some paths of special file systems
 * (`/proc/x`); a plain `mkdirSync` per missing level fails at once with the real reason.
 */
export function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let path = resolve(dir); !existsSync(path); path = dirname(path)) {
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of missing) mkdirSync(path);
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
