import { readFileSync } from 'node:fs';
import type { MatrixCell } from '../../scenarios/fixMatrix.ts';
import { reportText } from '../../scenarios/reportNotation.ts';
import { replayCommand } from '../format/exploreReport.ts';
import { MergeError, mergeShards, type ShardOutput } from '../merge/mergeShards.ts';
import { parseCommandArgs } from '../options.ts';
import { ensureWritableFile } from '../outputPaths.ts';
import { EXIT, UsageError } from '../UsageError.ts';
import { matrixTableLines, writeMatrixDoc } from './matrixCommand.ts';
import { configModuleHelpLine } from '../configModule.ts';
import { SIM_COMMAND } from '../../scenarios/simCommand.ts';

export const MERGE_HELP = `Usage: ${SIM_COMMAND} merge FILE... [options]

Combines the --json outputs of \`explore --shard i/n\` or \`matrix --shard i/n\` (every shard 1/n .. n/n of one
search, same seed, budget, configuration and strategy) into the result one unsharded run over the same seeds gives:

  explore  the finding with the lowest run index over all shards (each shard reports its own first one); its shrunk
           story, replay token and trace hashes are the unsharded ones, since shrinking is deterministic from the
           run; runsExecuted is counted as the unsharded search counts it
  matrix   per cell and violation kind, the finding of the lowest run; each cell's run count as unsharded

With --json the merged object is byte-identical to the unsharded command's --json output (trace file paths of
--out aside, which name the shard's directory).

Options:
  --json          print the merged object (default: a short summary)
  --doc FILE      matrix only: also write the merged table as Markdown
${configModuleHelpLine(18)}
  -h, --help      show this help

Exit status: as the unsharded command: explore 1 when the merged search found a violation, else 0; matrix 0.
2 for files that are not a complete set of shards of one search.`;

/** `merge FILE...`: the unsharded result from the outputs of every shard. */
export async function mergeCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'merge',
    args,
    { json: { type: 'boolean' }, doc: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values['help']) {
    out(MERGE_HELP);
    return EXIT.clean;
  }
  if (positionals.length === 0) throw new UsageError('merge: expected the --json output file of every shard (see --help)');
  if (typeof values['doc'] === 'string') ensureWritableFile(values['doc'], '--doc');
  let result;
  try {
    result = mergeShards(positionals.map(readShardOutput));
  } catch (error) {
    if (error instanceof MergeError) throw new UsageError(error.message);
    throw error;
  }
  const { kind, merged, shards } = result;
  if (kind === 'explore' && typeof values['doc'] === 'string') throw new UsageError('merge: --doc applies to matrix outputs only');
  if (kind === 'matrix' && typeof values['doc'] === 'string') {
    const { runsPerCell, seed, faults, scenario, strategy, shrinkAttempts, runtime, base, varied } = merged as {
      shrinkAttempts: number;
      runsPerCell: number;
      seed: number;
      faults: string[];
      scenario: string;
      strategy: string;
      runtime: string;
      base: Record<string, string>;
      varied: string[];
    };
    writeMatrixDoc(values['doc'], merged['cells'] as MatrixCell[], { runs: runsPerCell, seed, faults, scenario, strategy, shrinkAttempts, runtime, base, varied });
  }
  if (values['json']) out(JSON.stringify(merged, null, 2));
  else if (kind === 'explore') exploreSummary(merged, shards).forEach((line) => out(line));
  else {
    out(`merged ${shards} shards of matrix (${String(merged['scenario'])}, seed ${String(merged['seed'])}, ${String(merged['runsPerCell'])} runs per cell)`);
    matrixTableLines(merged['cells'] as MatrixCell[], merged['varied'] as string[]).forEach((line) => out(line));
    if (typeof values['doc'] === 'string') out(`\nwrote ${values['doc']}`);
  }
  return kind === 'explore' && merged['finding'] !== null ? EXIT.violation : EXIT.clean;
}

function readShardOutput(path: string): ShardOutput {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new UsageError(`merge: ${path} is a directory, not a shard's --json output`);
    throw new UsageError(`merge: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`);
  }
  try {
    return { source: path, json: JSON.parse(text) as unknown };
  } catch {
    throw new UsageError(`merge: ${path} is not JSON (write each shard with --json)`);
  }
}

function exploreSummary(merged: Record<string, unknown>, shards: number): string[] {
  const finding = merged['finding'] as { property: string; runIndex: number; replay: string; shrunk: { traceHash: string } } | null;
  const head = `merged ${shards} shards of explore (${String(merged['scenario'])}, seed ${String(merged['seed'])}, ${String(merged['runsRequested'])} runs)`;
  if (!finding) return [head, `No violation in ${String(merged['runsExecuted'])} runs.`];
  const violated = (merged['violations'] as Array<{ property: string; message: string }>).map((violation) => `  ${violation.property.padEnd(16)} ${reportText(violation.message)}`);
  return [
    head,
    `Found ${finding.property} in run ${finding.runIndex + 1} (the lowest over all shards: where the unsharded search stops).`,
    'Violations in the shrunk story:',
    ...violated,
    'Replay it exactly (prints the story):',
    `  ${replayCommand(finding.replay)}`,
    `trace hash ${finding.shrunk.traceHash}`,
  ];
}
