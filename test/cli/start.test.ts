import { beforeAll, describe, expect, it } from 'vitest';
import { startCommand } from '../../cli/commands/startCommand.ts';
import { readReplayToken, replay } from '../../scenarios/replayTokens.ts';

/**
 * `npm start`'s output, run once in this process, with a smaller shrink budget than the default: shrinking five
 * stories with 2,500 attempts each is three quarters of the job (two minutes on this machine kind), and what is
 * asserted here (the sections, the verdicts of the same seeded runs, tokens that replay, the story's causal labels,
 * which shrinking keeps at any budget) does not depend on how far the stories shrink. The default budget runs in the
 * README's quickstart check (a fresh clone's `npm start`).
 */
let output = '';
let exit = -1;
const SHRINK_ATTEMPTS = 50;

beforeAll(async () => {
  const lines: string[] = [];
  exit = await startCommand(['--shrink-attempts', String(SHRINK_ATTEMPTS)], (line) => lines.push(line));
  output = lines.join('\n');
}, 600_000);

/** The text of one numbered section of the output. */
function section(number: 1 | 2 | 3): string {
  const start = output.indexOf(`\n${number}. `);
  const next = number < 3 ? output.indexOf(`\n${number + 1}. `) : output.length;
  return output.slice(start, next);
}

const TOKEN = /npm run sim -- replay (ws2\.\S+)/g;

/** The lines of section 1 about one configuration: its title line and the lines indented under it. */
function verdictBlock(verdicts: string, title: string): string {
  const lines = verdicts.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`  ${title} `));
  if (start < 0) return '';
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('      '));
  return `${lines.slice(start, end < 0 ? undefined : end).join('\n')}\n`;
}

describe('npm start', () => {
  it('exits 0 and prints each replay command once', () => {
    expect(exit).toBe(0);
    const tokens = [...output.matchAll(TOKEN)].map((match) => match[1]!);
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('gives a verdict per defect, each derived from its own exploration, with a token that replays it', async () => {
    const verdicts = section(1);
    const configurations = [
      ['v0.4 (both defects)', 'wiring=swallow offset=minus-one'],
      ['Defect B alone', 'wiring=swallow offset=durable'],
      ['Defect A alone', 'wiring=retry offset=minus-one'],
      ['both fixes', 'wiring=retry offset=durable'],
    ] as const;
    for (const [title, switches] of configurations) {
      const block = verdictBlock(verdicts, title);
      expect(block, title).toMatch(new RegExp(`^ {2}${title.replace(/[()]/g, '\\$&')} +${switches}\\n`));
      const verdict = /\n {6}(posts twice|never posts twice|no violation of any property in 500 runs)/.exec(block)?.[1];
      expect(verdict, title).toBeDefined();
      // "posts twice" exactly when the kinds found include the duplicate.
      expect(verdict === 'posts twice', title).toBe(/duplicate-action \(run \d+\)/.test(block));
      const [token] = [...block.matchAll(TOKEN)].map((match) => match[1]!);
      if (token === undefined) continue;
      const request = readReplayToken(token);
      expect(`wiring=${request.spec.config['wiring']} offset=${request.spec.config['offset']}`).toBe(switches);
      const replayed = await replay(request);
      expect(replayed.violations.map((violation) => violation.property), title).toContain(request.property);
    }
    // The bug report's configuration posts twice, as the report says.
    expect(verdicts).toMatch(/v0\.4 \(both defects\) +wiring=swallow offset=minus-one\n {6}posts twice: duplicate-action \(run \d+\)/);
    expect(verdicts).toMatch(/\n {2}So: .*post/);
  });

  it('shows the shortest v0.4 duplicate as a timeline with its replay command', () => {
    const shortest = section(2);
    expect(shortest).toMatch(/Found duplicate-action in run \d+ of at most 500\./);
    expect(shortest).toMatch(/<== duplicate-action/);
    expect([...shortest.matchAll(TOKEN)]).toHaveLength(1);
  });

  it("tells the report's account with its causal labels: redeploy, start at -1, replayed wake, preload failure, unwired handle, second post", () => {
    const story = section(3);
    expect(story).toMatch(/Found duplicate-action in run \d+ of at most 2000\./);
    const line = (label: string): string | undefined => story.split('\n').find((text) => text.includes(label));
    expect(line('<-- restart')).toMatch(/fault +kind=redeploy/);
    expect(line('<-- runner starts at -1')).toMatch(/runner-start/);
    // The service serving the old wake again is the replayed read.
    expect(line('<-- replayed wake')).toMatch(/stream-read/);
    expect(line('<-- wake that posts again')).toMatch(/wake-start/);
    expect(story.split('\n').filter((text) => text.includes('<-- preload failure')).length).toBeGreaterThanOrEqual(1);
    expect(line('<== duplicate-action')).toMatch(/UNWIRED \d+ dup/);
    expect([...story.matchAll(TOKEN)]).toHaveLength(1);
  });
});
