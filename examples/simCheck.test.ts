// examples/simCheck.test.ts
import { expect, test } from 'vitest';
import { runSpecFor } from '../scenarios/config/runSpecFor.ts';
import { itExplores } from '../scenarios/testing/itExplores.ts';
import { simCheck } from '../scenarios/testing/simCheck.ts';

const bothFixes = runSpecFor({ scenario: 'daily-digest', switches: { wiring: 'retry', offset: 'durable' }, faults: ['redeploy'] });
const v04Spec = runSpecFor({ scenario: 'daily-digest', switches: { wiring: 'swallow', offset: 'minus-one' }, faults: ['redeploy', 'preload-not-found'] });

itExplores('both fixes never post twice', bothFixes, { runs: 200, properties: ['duplicate-action'] });

test('v0.4 posts twice', async () => {
  await expect(simCheck(v04Spec, { runs: 50, properties: ['duplicate-action'] })).rejects.toThrow(/^duplicate-action: /);
});
