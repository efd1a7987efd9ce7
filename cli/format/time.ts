import { DEFAULT_DIGEST_OPTIONS } from '../../scenarios/daily-digest/DigestScenarioOptions.ts';
import { formatVirtualTime } from '../../scenarios/reportNotation.ts';

const { dayMs, firstDueAtMs } = DEFAULT_DIGEST_OPTIONS;

/** What the times of a report mean (see formatVirtualTime): printed with every timeline. */
export const VIRTUAL_TIME_LEGEND =
  `time: virtual time since the run began (+m:ss.mmm); a simulated day is ${dayMs / 60_000} virtual minutes; ` +
  `first digest due ${formatVirtualTime(firstDueAtMs)}`;
