import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, not, setup, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelsDocsCommand } from '../../cli/commands/modelsDocsCommand.ts';
import { UsageError } from '../../cli/UsageError.ts';
import { DOCS_COMMAND, LEGEND_INTRO, modelDocs } from '../../models/docs/machineDocs.ts';
import { machineGraph, mermaidIds, toMermaid } from '../../models/docs/toMermaid.ts';
import { MODEL_MACHINES } from '../../models/systemModel.ts';

const COMMITTED_DIR = fileURLToPath(new URL('../../docs/models/', import.meta.url));
const MACHINES = Object.entries(MODEL_MACHINES) as Array<[keyof typeof MODEL_MACHINES, AnyStateMachine]>;

function leaves(node: AnyStateNode): AnyStateNode[] {
  const children = Object.values(node.states as Record<string, AnyStateNode>);
  return children.length === 0 ? [node] : children.flatMap(leaves);
}

/** Runs the command, collecting what it prints. */
async function run(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await modelsDocsCommand(args, (line) => lines.push(line));
  return { code, lines };
}

describe('toMermaid', () => {
  it.each(MACHINES)('%s: a stateDiagram-v2 with every leaf state and labelled transitions', (_name, machine) => {
    const mermaid = toMermaid(machine);
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    const ids = mermaidIds(machine);
    for (const leaf of leaves(machine.root)) {
      const path = (leaf.path as string[]).join('.');
      const id = ids.get(path);
      expect(id, path).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      expect(mermaid).toContain(`state "${String(leaf.key)}" as ${id}\n`);
    }
    expect(mermaid).toMatch(/^\s+\w+ --> \w+ : \S.*$/m);
  });

  it.each(MACHINES)('%s: every drawn transition has its arrow, labelled with its event', (_name, machine) => {
    const mermaid = toMermaid(machine);
    const ids = mermaidIds(machine);
    const drawn = machineGraph(machine).transitions.filter((transition) => transition.drawn);
    expect(drawn.length).toBeGreaterThan(0);
    for (const transition of drawn) {
      for (const target of transition.targets) {
        const from = transition.source === '' ? 'any_state' : ids.get(transition.source)!;
        const arrow = mermaid.split('\n').find((line) => line.trim().startsWith(`${from} --> ${ids.get(target)!} : `));
        expect(arrow, `${transition.source || '(machine)'} --${transition.event}--> ${target}`).toBeDefined();
        expect(arrow).toContain(transition.event);
        if (transition.guard !== undefined) expect(arrow).toContain(transition.guard);
      }
    }
  });

  it.each(MACHINES)('%s: deterministic', (_name, machine) => {
    expect(toMermaid(machine)).toBe(toMermaid(machine));
  });

  it('styles violation states and draws root-level transitions from an "any state" node', () => {
    const wiring = toMermaid(MODEL_MACHINES.wiringChain);
    expect(wiring).toMatch(/^\s+classDef violation /m);
    expect(wiring).toMatch(/^\s+class resolvedUnwired violation$/m);
    const runner = toMermaid(MODEL_MACHINES.runnerLifecycle);
    expect(runner).toContain('state "any state" as any_state');
    expect(runner).toContain('any_state --> crashed : PROCESS_EXIT [crashed]');
    // A transition from outside into a composite's child stays outside its block (else Mermaid moves the child).
    expect(runner).toMatch(/^ {4}stopped --> running_connecting : RUNNER_STATE \[toConnecting\]$/m);
    expect(toMermaid(MODEL_MACHINES.wakeStream)).toMatch(/^\s+--$/m);
  });
});

describe('toMermaid on shapes the models do not have yet', () => {
  const machine = setup({ guards: { g: () => true, h: () => false } }).createMachine({
    id: 'synthetic',
    initial: 'state',
    on: { RESET: '.state', PANIC: '.p.r1.inner.c' },
    states: {
      state: { on: { GO: { target: 'p', guard: not('g') }, DEEP: { target: 'p.r1.inner', guard: and(['g', 'h']) } }, always: { target: 'end', guard: 'h' } },
      end: { type: 'final' },
      '2nd': { initial: 'x', states: { x: { on: { UP: '#synthetic.state' } } } },
      p: {
        type: 'parallel',
        states: {
          r1: { initial: 'a', states: { a: { on: { IN: 'inner', ACROSS: '#synthetic.p.r2.y' } }, inner: { initial: 'c', states: { c: {} } } } },
          r2: { initial: 'y', states: { y: { on: { BACK: 'z' } }, z: {} } },
        },
      },
    },
  });

  it('gives keywords and leading digits safe ids, and keeps the key as the label', () => {
    const mermaid = toMermaid(machine);
    expect(mermaid).toContain('state "state" as s_state\n');
    expect(mermaid).toContain('state "end" as s_end\n');
    expect(mermaid).toContain('state "2nd" as s_2nd {');
    expect(mermaid).toContain('s_2nd_x --> s_state : UP');
    expect(mermaid).toContain('s_state --> p : GO [!g]');
  });

  it('leaves out, and marks, the transitions Mermaid cannot draw', () => {
    const undrawn = machineGraph(machine)
      .transitions.filter((transition) => transition.targets.length > 0 && !transition.drawn)
      .map((transition) => `${transition.source}:${transition.label}`);
    expect(undrawn).toEqual([':PANIC', 'state:DEEP [g && h]', 'p.r1.a:IN', 'p.r1.a:ACROSS']);
    const mermaid = toMermaid(machine);
    for (const event of ['PANIC', 'DEEP', ' IN', 'ACROSS']) expect(mermaid).not.toContain(event);
    expect(mermaid).toContain('p_r2_y --> p_r2_z : BACK');
  });
});

describe('docs/models', () => {
  it('the committed pages are what the models generate (run `npm run sim -- models docs` after changing a machine)', async () => {
    for (const doc of modelDocs()) {
      const committed = await readFile(join(COMMITTED_DIR, doc.file), 'utf8').catch(() => undefined);
      expect(committed, `docs/models/${doc.file} is missing or stale: run \`${DOCS_COMMAND}\``).toBe(doc.text);
    }
    expect(await run('--check', '--out', COMMITTED_DIR)).toMatchObject({ code: 0 });
  });

  it('each page has the intro, the diagram, a legend row per state, and the generated-file note', () => {
    const pages = new Map(modelDocs().map((doc) => [doc.file, doc.text]));
    for (const [name, machine] of MACHINES) {
      const page = pages.get(`${name}.md`)!;
      expect(page).toContain(LEGEND_INTRO[name]);
      expect(page).toContain(`\`\`\`mermaid\n${toMermaid(machine)}\`\`\``);
      expect(page).toContain(`Generated by \`${DOCS_COMMAND}\``);
      for (const state of machineGraph(machine).states) expect(page).toContain(`| \`${state.path}\` |`);
      expect(pages.get('README.md')).toContain(`(${name}.md)`);
    }
    expect(pages.get('README.md')).toContain('models/systemModel.ts');
    expect(pages.get('README.md')).toContain('model-conformance');
  });
});

describe('models docs command', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'models-docs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every page, then --check finds them up to date', async () => {
    const written = await run('--out', join(dir, 'nested'));
    expect(written.code).toBe(0);
    expect(written.lines).toEqual(modelDocs().map((doc) => `wrote ${join(dir, 'nested', doc.file)}`));
    expect((await run('--check', '--out', join(dir, 'nested'))).code).toBe(0);
  });

  it('--check returns 1 and names the edited file and the missing one, and writes nothing', async () => {
    expect((await run('--out', dir)).code).toBe(0);
    const edited = join(dir, 'wiringChain.md');
    await writeFile(edited, `${await readFile(edited, 'utf8')}\nA note added by hand.\n`);
    await unlink(join(dir, 'wakeStream.md'));

    const checked = await run('--check', '--out', dir);
    expect(checked.code).toBe(1);
    expect(checked.lines).toContain(`stale: ${edited}`);
    expect(checked.lines).toContain(`missing: ${join(dir, 'wakeStream.md')}`);
    expect(checked.lines.filter((line) => line.startsWith('stale:') || line.startsWith('missing:'))).toHaveLength(2);
    expect(await readFile(edited, 'utf8')).toContain('A note added by hand.');

    expect((await run('--out', dir)).code).toBe(0);
    expect((await run('--check', '--out', dir)).code).toBe(0);
  });

  it('--help prints the usage; unknown options are usage errors', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.lines.join('\n')).toContain('--check');
    await expect(run('--frobnicate')).rejects.toThrow(UsageError);
    await expect(run('stray')).rejects.toThrow(UsageError);
  });
});
