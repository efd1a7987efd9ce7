import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

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
