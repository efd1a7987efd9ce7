import { describe, expect, it } from 'vitest';
import { propertyNames } from '../../properties/index.ts';
import { explore } from '../../scenarios/explore.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { sweep } from '../../sim/explore/sweep.ts';
import { RandomStrategy } from '../../sim/strategies/RandomStrategy.ts';
import { ALL_FAULTS, digestSpec, HARDENED } from './helpers.ts';

/** The day a digest action or a missed-action message names (`digest:3`), if any. */
function digestDay(text: string): number | undefined {
  const match = /digest:(\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/**
 * The hardened preset under every fault kind, at full strength. It is not clean there: a Durable Streams restart
 * forgets the lease of a wake whose handler is still running (a slow handler), the service grants the re-issued wake
 * to the other process of a rolling deploy a second later, and the first handler learns that it lost its claim only
 * at its next renewal: two handlers of the entity run at once (`concurrent-wake`; the first one's next step throws, so
 * nothing is posted twice). No runtime switch closes it: the agents server would have to fence the claim. And a
 * digest day can be missed by design: when faults keep a day's wake failing until the next day is due, the catch-up
 * entity posts only the newest due day (semantics.md), so the older one is never performed (`missed-action`; since the
 * network world gained `network-outage`, within 1,000 runs of this seed: a 146 s outage, a shared-stream outage and
 * preload failures keep day 0's wakes failing for five minutes). Both are kept here as the regression base: every other
 * property is held to no violation in the same 1,000 runs, and `missed-action` to days a newer day superseded.
 */
describe('the hardened preset under --faults all', () => {
  it('its first finding in 1,000 runs is a second wake granted beside a slow handler whose lease a Durable Streams restart lost', async () => {
    const report = await explore({ spec: digestSpec(HARDENED, ALL_FAULTS), maxRuns: 1000, seed: 4625, properties: propertyNames(), maxShrinkAttempts: 50 });
    expect(report.finding?.property).toBe('concurrent-wake');
    const faults = report.finding!.shrunk.events.filter((event) => event.kind === 'fault').map((event) => String(event.detail['kind']));
    expect(faults).toEqual(expect.arrayContaining(['ds-restart', 'slow-handler']));
    expect(report.finding!.shrunk.violations.map((violation) => violation.property)).not.toContain('duplicate-action');
  });

  it('counting every other property, 1,000 runs of the same seed show nothing but days the catch-up entity skipped for a newer one', async () => {
    const spec = digestSpec(HARDENED, ALL_FAULTS);
    const unexplained: string[] = [];
    let skippedDays = 0;
    const outcome = await sweep({
      maxRuns: 1000,
      strategy: new RandomStrategy(4625),
      run: (choices) => runScenario(spec, choices),
      isFinding: () => false,
      onRun: (runIndex, result) => {
        const posted = result.events.filter((event) => event.kind === 'action-performed').map((event) => digestDay(String(event.detail['action'])));
        for (const violation of result.violations) {
          if (violation.property === 'concurrent-wake') continue;
          const day = violation.property === 'missed-action' ? digestDay(violation.message) : undefined;
          // A missed day counts only when no newer day was posted in the same run: then the entity did not catch up.
          if (day !== undefined && posted.some((later) => later !== undefined && later > day)) skippedDays += 1;
          else unexplained.push(`run ${runIndex + 1}: ${violation.property}: ${violation.message}`);
        }
      },
    });
    expect(outcome.runsExecuted).toBe(1000);
    expect(unexplained).toEqual([]);
    // The world gives the catch-up room: some runs do skip a day (the first at run 688 of this seed).
    expect(skippedDays).toBeGreaterThan(0);
  });
});
