import { describeConfig } from '../../runtime/config.ts';
import { readReplayToken, replay } from '../../scenarios/replayTokens.ts';
import { looksLikeTraceFilePath, readTraceFile } from '../traceFiles.ts';
import { ReplayTokenError } from '../../sim/replay/replayToken.ts';
import { firstViolationPerProperty } from '../format/exploreReport.ts';
import { faultsInRun, formatStory } from '../format/story.ts';
import { formatVirtualTime } from '../format/time.ts';
import { parseCommandArgs } from '../options.ts';
import { EXIT, UsageError } from '../UsageError.ts';

export const REPLAY_HELP = `Usage: npm run sim -- replay <token | trace-file> [options]

Re-runs the story a token describes, exactly (same choices, same trace hash), and prints its timeline. Instead of
a token, give the path of a trace file written by \`explore --out DIR\` or \`matrix --out DIR\`: its token is replayed
and the trace hash compared with the one the file recorded.

Options:
  --json               print one JSON object (config, violations, trace hash, timeline)
  --all                include every scheduler step and heartbeat in the timeline
  -h, --help           show this help

Exit status: 0 the violation does not reproduce, 1 it reproduces, 2 bad input (e.g. a malformed token).`;

/** `replay <token>`. */
export async function replayCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs('replay', args, { json: { type: 'boolean' }, all: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values['help']) {
    out(REPLAY_HELP);
    return EXIT.clean;
  }
  if (positionals.length !== 1) throw new UsageError('replay: expected exactly one token or trace file (see --help)');
  let request;
  let recordedTraceHash: string | undefined;
  try {
    const argument = positionals[0]!;
    let token = argument;
    if (looksLikeTraceFilePath(argument)) {
      const file = readTraceFile(argument);
      token = file.token;
      recordedTraceHash = file.traceHash;
    }
    request = readReplayToken(token);
  } catch (error) {
    if (error instanceof ReplayTokenError) throw new UsageError(error.message);
    throw error;
  }
  const result = await replay(request);
  const violations = firstViolationPerProperty(result);
  const reproduced = request.property
    ? violations.some((violation) => violation.property === request.property)
    : violations.length > 0;
  if (values['json']) {
    out(
      JSON.stringify(
        {
          scenario: request.spec.scenario,
          config: { ...request.spec.config },
          faults: [...request.spec.faults],
          property: request.property ?? null,
          reproduced,
          traceHash: result.traceHash,
          ...(recordedTraceHash === undefined ? {} : { recordedTraceHash, sameTrace: recordedTraceHash === result.traceHash }),
          steps: result.steps,
          violations: violations.map(({ property, message, step, atMs }) => ({ property, message, step, atMs })),
          timeline: formatStory(result.events, result.violations, values['all'] === true),
        },
        null,
        2,
      ),
    );
  } else {
    out(`${request.spec.scenario} · ${describeConfig(request.spec.config)} · faults: ${request.spec.faults.join(', ') || 'none'}`);
    out(`${result.steps} steps, ${request.choices.length} recorded choices; faults injected: ${faultsInRun(result.events).join(', ') || 'none'}`);
    out('');
    formatStory(result.events, result.violations, values['all'] === true).forEach((line) => out(`  ${line}`));
    out('');
    if (violations.length === 0) out('No violation.');
    for (const violation of violations) {
      out(`  ${violation.property.padEnd(16)} ${violation.message} (step ${violation.step}, ${formatVirtualTime(violation.atMs)})`);
    }
    if (request.property) out(`${request.property}: ${reproduced ? 'reproduced' : 'NOT reproduced'}`);
    out(`trace hash ${result.traceHash}`);
    if (recordedTraceHash !== undefined) {
      out(
        recordedTraceHash === result.traceHash
          ? 'same trace as the file recorded'
          : `DIFFERENT trace from the one the file recorded (${recordedTraceHash}): this build tells the story differently`,
      );
    }
  }
  return reproduced ? EXIT.violation : EXIT.clean;
}
