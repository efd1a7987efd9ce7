import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sim } from '../cli/runSim.ts';

/**
 * The README's code blocks a user would paste are files under examples/ that the suite runs (vitest includes
 * `examples/**\/*.test.ts`). Each such block names its file in its first line (`// examples/x.test.ts`, or `#` in
 * YAML) and must equal that file byte for byte, so a snippet edited in one place and not the other fails here.
 */

const README = 'README.md';
const EXAMPLES = 'examples';
/** Languages whose blocks are code to paste; shell blocks are one-line commands and output blocks are output. */
const CODE_LANGUAGES = new Set(['ts', 'typescript', 'yaml', 'yml']);

interface Block {
  readonly language: string;
  readonly text: string;
  /** The file the block names in its first line, if it names one. */
  readonly file: string | undefined;
}

/** The fenced code blocks of a Markdown text, with the examples/ file each one names. */
function fencedBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => {
    const text = match[2]!;
    const named = /^(?:\/\/|#) (examples\/\S+)\n/.exec(text);
    return { language: match[1]!, text, file: named?.[1] };
  });
}

const blocks = fencedBlocks(readFileSync(README, 'utf8'));
const codeBlocks = blocks.filter((block) => CODE_LANGUAGES.has(block.language));

describe('README snippets are the files under examples/', () => {
  it('every code block names its examples/ file in its first line', () => {
    expect(codeBlocks.length).toBeGreaterThanOrEqual(3);
    for (const block of codeBlocks) expect(block.file, `a ${block.language} block of ${README} names no examples/ file:\n${block.text}`).toBeDefined();
  });

  it('every file under examples/ is shown in the README exactly once (a folder is an example of its own, with its README)', () => {
    const shown = codeBlocks.map((block) => block.file).sort();
    const files = readdirSync(EXAMPLES, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => `${EXAMPLES}/${entry.name}`).sort();
    expect(shown).toEqual(files);
  });

  it.each(codeBlocks.filter((block) => block.file !== undefined).map((block) => [block.file!, block] as const))('%s equals its README block byte for byte', (file, block) => {
    expect(block.text, `${README}'s block for ${file} differs from the file: change both together`).toBe(readFileSync(file, 'utf8'));
  });

  it('the check itself fails on a block that differs from its file', () => {
    const file = `${EXAMPLES}/simCheck.test.ts`;
    const edited = readFileSync(file, 'utf8').replace('runs: 200', 'runs: 300');
    const [block] = fencedBlocks(`\`\`\`ts\n${edited}\`\`\`\n`);
    expect(block!.file).toBe(file);
    expect(block!.text).not.toBe(readFileSync(file, 'utf8'));
  });
});

describe('the README workflow for sharded CI (examples/github-actions-shards.yml)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'wake-sim-workflow-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs its commands as written, on a small budget: four shards, then the merge', { timeout: 300_000 }, async () => {
    const workflow = readFileSync(`${EXAMPLES}/github-actions-shards.yml`, 'utf8');
    const explore = /run: npm run -s sim -- (explore .*?) > shard-\$\{\{ matrix\.shard \}\}\.json \|\| \[ \$\? -eq 1 \]$/m.exec(workflow);
    const merge = /run: npm run -s sim -- (merge) shard-\*\.json$/m.exec(workflow);
    const shards = /shard: \[([\d, ]+)\]/.exec(workflow);
    expect(explore && merge && shards, 'the workflow no longer has the explore, merge and shard lines this test runs').toBeTruthy();
    // The workflow's budget takes minutes; four fault-free runs (one per shard, nothing found, so nothing to shrink)
    // show that the same commands work together.
    const command = `${explore![1]!.replace('--runs 20000', '--runs 4')} --faults none`;
    expect(command).toContain('--runs 4');
    const indexes = shards![1]!.split(',').map((index) => index.trim());
    const outputs = await Promise.all(indexes.map((index) => sim(...command.replace('${{ matrix.shard }}', index).split(' '))));
    const files = outputs.map((output, position) => {
      expect(output.stderr).toBe('');
      expect(output.code).toBe(0);
      const path = join(scratch, `shard-${indexes[position]}.json`);
      writeFileSync(path, output.stdout);
      return path;
    });
    const merged = await sim(merge![1]!, ...files);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/^merged 4 shards of explore \(daily-digest, seed 42, 4 runs\)\nNo violation in 4 runs\./);
  });
});
