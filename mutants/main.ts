import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTANTS_HELP, MutantsUsageError, parseMutantsArgs } from './mutantsArgs.ts';
import { mutantTableLines, summarize } from './mutantTable.ts';
import { runMutantSuite } from './runMutantSuite.ts';


/** `npm run mutants`: the mutant suite against the CI configuration; exit 0 when it ran, 2 for a bad argument. */
async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseMutantsArgs(argv);
  } catch (error) {
    if (!(error instanceof MutantsUsageError)) throw error;
    process.stderr.write(`npm run mutants: ${error.message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${MUTANTS_HELP}\n`);
    return 0;
  }
  const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
  const report = await runMutantSuite({
    projectRoot,
    mutants: args.mutants,
    budget: { strategy: args.strategy, ...(args.draw === undefined ? {} : { draw: args.draw }), runs: args.runs, seed: args.seed },
    workers: args.workers,
    timeoutMs: args.timeoutSeconds * 1000,
    // A line per mutant on stderr, with --json too: the JSON comes at the end, and a full sweep takes most of an hour.
    onOutcome: ({ mutant, verdict }) => {
      const what = verdict.kind === 'detected' ? `${verdict.property} at run ${verdict.run}` : verdict.kind === 'flagged' ? `flagged: ${verdict.reason}` : 'survived';
      process.stderr.write(`${mutant.id}: ${what}\n`);
    },
  });
  if (args.json) process.stdout.write(`${JSON.stringify({ ...report, summary: summarize(report) }, null, 2)}\n`);
  else process.stdout.write(`${mutantTableLines(report).join('\n')}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
