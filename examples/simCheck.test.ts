// examples/simCheck.test.ts
import { expect, test } from 'vitest';
import type { RunSpec } from '../scenarios/index.ts';
import { itExplores } from '../scenarios/testing/itExplores.ts';
import { simCheck } from '../scenarios/testing/simCheck.ts';

const BOTH_FIXES = { wiring: 'retry', offset: 'durable', idempotency: 'raw-collection' } as const;
const v04Spec: RunSpec = {
  scenario: 'daily-digest',
  config: { wiring: 'swallow', offset: 'minus-one', idempotency: 'raw-collection' },
  faults: ['redeploy', 'preload-not-found'],
};

itExplores('both fixes never post twice', { scenario: 'daily-digest', config: BOTH_FIXES, faults: ['redeploy'] }, { runs: 200 });

test('v0.4 posts twice', async () => {
  await expect(simCheck(v04Spec, { runs: 50, properties: ['duplicate-action'] })).rejects.toThrow(/^duplicate-action: /);
});
