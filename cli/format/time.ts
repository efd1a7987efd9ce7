import { DEFAULT_DIGEST_OPTIONS } from '../../scenarios/daily-digest/DigestScenarioOptions.ts';
import { registeredScenarios } from '../../scenarios/index.ts';
import { formatVirtualTime } from '../../scenarios/reportNotation.ts';

const { dayMs, firstDueAtMs } = DEFAULT_DIGEST_OPTIONS;

/**
 * What the times of a report of a run of `scenario` mean (see formatVirtualTime): printed with every timeline. A
 * scenario whose entity behaves like the digest entity (`followedByComposedModel`: the two digest scenarios, and a
 * registered copy of one) has digest days to explain; another's report says what its times are, no more.
 */
export function virtualTimeLegend(scenario: string): string {
  const times = 'time: virtual time since the run began (+m:ss.mmm)';
  const digestLike = registeredScenarios().some((known) => known.name === scenario && known.followedByComposedModel === true);
  if (!digestLike) return times;
  return `${times}; a simulated day is ${dayMs / 60_000} virtual minutes; first digest due ${formatVirtualTime(firstDueAtMs)}`;
}
