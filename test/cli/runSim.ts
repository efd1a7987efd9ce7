import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { vi } from 'vitest';
import { main } from '../../cli/main.ts';

const execFileAsync = promisify(execFile);

/** Output ceiling of one CLI run in tests: sharded matrix JSON runs to megabytes. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** What one command line run gave. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run sim -- <args>` as a child process (node with tsx, as npm would) and collects its exit and output. */
export async function sim(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { maxBuffer: MAX_OUTPUT_BYTES });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * Runs the command line's `main` in this process — no child process, no tsx start-up — with stdout and stderr
 * captured, and collects its exit status and output. What it cannot show is what only the process does around `main`
 * (the handlers of uncaught errors): tests of those use {@link sim}. Not for concurrent tests: it captures the
 * process's streams.
 */
export async function simInProcess(...args: string[]): Promise<CliResult> {
  const captured = { stdout: '', stderr: '' };
  const capture = (stream: 'stdout' | 'stderr') =>
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    });
  const stdout = capture('stdout');
  const stderr = capture('stderr');
  try {
    const code = await main(args);
    return { code, ...captured };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
