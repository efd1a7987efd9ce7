import { DEFAULT_DIGEST_OPTIONS } from '../../scenarios/daily-digest/DigestScenarioOptions.ts';
import { dailyDigestScenario } from '../../scenarios/daily-digest/dailyDigestScenario.ts';
import { minimalDigestScenario } from '../../scenarios/daily-digest/minimalDigestScenario.ts';
import { formatVirtualTime } from '../../scenarios/reportNotation.ts';

const { dayMs, firstDueAtMs } = DEFAULT_DIGEST_OPTIONS;

/** The scenarios whose runs have digest days: the legend says how long one lasts and when the first is due. */
const DIGEST_SCENARIOS: ReadonlySet<string> = new Set([dailyDigestScenario.name, minimalDigestScenario.name]);

/**
 * What the times of a report of a run of `scenario` mean (see formatVirtualTime): printed with every timeline. Only
 * the digest scenarios have digest days to explain; another scenario's report says what its times are, no more.
 */
export function virtualTimeLegend(scenario: string): string {
  const times = 'time: virtual time since the run began (+m:ss.mmm)';
  if (!DIGEST_SCENARIOS.has(scenario)) return times;
  return `${times}; a simulated day is ${dayMs / 60_000} virtual minutes; first digest due ${formatVirtualTime(firstDueAtMs)}`;
}
