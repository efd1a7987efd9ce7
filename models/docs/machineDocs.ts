import type { AnyStateMachine } from 'xstate';
import { MODEL_MACHINES, RUNTIME_MACHINES, type MachineName } from '../modelLayers.ts';
import { machineGraph, toMermaid, type MachineGraph, type StateInfo, type TransitionInfo } from './toMermaid.ts';

/**
 * The pages of docs/models: one per machine of the composed model (a Mermaid statechart generated from the machine
 * and a legend of what its states mean in the real system) and an index. Pure: the same machines give the same text,
 * which is what `models docs --check` and test/models/docs.test.ts compare with the committed files.
 */

/** The command that writes these pages. */
export const DOCS_COMMAND = 'npm run sim -- models docs';

/** Where the pages are committed, relative to the repository root. */
export const DEFAULT_DOCS_DIR = 'docs/models';

/** What each machine stands for in the real system: the first paragraph of its page. */
export const LEGEND_INTRO: Readonly<Record<MachineName, string>> = {
  serverRunner:
    'The runner of one host process as the agents server and the Durable Streams service see it, whatever runtime ' +
    'runs in the process: it registers (the answer names its wake stream and, with some servers, a resume offset), ' +
    'reads its wake stream, claims the wakes it was served, sends done and heartbeats. Its first read must start where ' +
    'the `offset` switch says (`-1` for `minus-one`, `now` for `tail`, else the offset registration returned; a runtime ' +
    'without the switch may take any of these): that is defect A seen from the outside. A stop the platform asked for, and the end of the process, still let requests that ' +
    'were on the wire arrive. A system model: it reads only the servers\' observations.',
  wakeStream:
    'One pull-wake subscription on the Durable Streams server and the wake stream of the runner it wakes, as the ' +
    'servers saw them. The `lease` region is the subscription: it issues one wake at a time — a wake event appended when ' +
    'work arrives and none is outstanding — that a claim takes and a done or the lease\'s expiry ends. The `resume` ' +
    'region is what the agents server keeps of where runners are (the heartbeat diagnostics, the registration answer). ' +
    'The `replay` region follows what the service served every process and holds the replay invariant: no process is ' +
    'served a wake that another had already processed (every claim up to it answered, and done where granted). ' +
    'Reaching `replay.replayed` is the `wake-replay` violation, what a runner restarted at offset `-1` does (defect A). ' +
    'A system model: it reads only the servers\' observations.',
  digestEntity:
    'The catch-up daily-digest entity of the bug report (electric-sql/electric#4625), judged from the outside: a cron ' +
    'tick makes one occurrence due per day; each run of its handler (the scenario\'s own spans of its code) observes the ' +
    'shared DB, checks by the `idempotency` switch whether the newest due occurrence was already posted — on what the ' +
    'handle shows, the rows the service served the process — posts the digest to the chat if not, and records the ' +
    'occurrence. The `activity` region follows one handler at a time; the `safety` region holds the no-duplicate ' +
    'invariant. Reaching `safety.duplicate` is the `duplicate-action` violation, the digest posted again after a ' +
    'redeploy; a due occurrence never posted at the end of a run is `missed-action`. A system model: it reads the ' +
    'servers\' observations and the entity\'s own probes.',
  runnerLifecycle:
    'The pull-wake runner of one host process as the runtime reports it (the `runner-lifecycle` annotation ' +
    'vocabulary): the object a host builds when its process starts, which then long-polls its wake stream and starts a ' +
    'claim for every wake event it reads. Every process start gets a new one; a graceful stop or a crash ends it, and ' +
    'with it everything it held in memory, the read offset included. A model of the runtime\'s internals: it applies ' +
    'only to a runtime that declares this vocabulary, and checks that what the runtime says agrees with what it does.',
  wiringChain:
    'One shared-state handle within one wake as the runtime reports it (the `wiring-chain` annotation vocabulary): ' +
    'what happens between the handler\'s `ctx.observe(db(...))` (or the restore of a handle that an earlier wake put in ' +
    'the entity\'s manifest) and the wake\'s ack, with the handler\'s own span placed in it. The chain step creates the ' +
    'shared-state DB and preloads it; the `wiring` switch decides what a failed preload leads to. Under `swallow` ' +
    '(v0.4) the error is recorded and `observe` resolves with an unwired handle (the `unwired-resolve` violation, ' +
    'defect B); `reject` fails the wake; `retry` preloads again with a fresh DB until wired; `empty` wires an empty DB. ' +
    'A restored handle is wired before the handler runs and fails closed whatever the switch says. A model of the ' +
    'runtime\'s internals: it applies only to a runtime that declares this vocabulary.',
};

/** The source file of each machine, relative to the repository root. */
const SOURCE: Readonly<Record<MachineName, string>> = {
  serverRunner: 'models/system/serverRunner.ts',
  wakeStream: 'models/system/wakeStream.ts',
  digestEntity: 'models/system/digestEntity.ts',
  runnerLifecycle: 'models/runtime/runnerLifecycle.ts',
  wiringChain: 'models/runtime/wiringChain.ts',
};

/** What feeds each layer, for the index. */
function fedBy(name: MachineName): string {
  const vocabulary = RUNTIME_MACHINES[name];
  return vocabulary === undefined ? 'system: observations and probes' : `runtime: \`${vocabulary}\` annotations`;
}

/** Links from docs/models to the repository root. */
const TO_ROOT = '../../';

const ANY_STATE = 'any state';

export interface DocFile {
  /** File name inside the docs directory. */
  readonly file: string;
  readonly text: string;
}

function generatedNote(source: string): string {
  return (
    `> Generated by \`${DOCS_COMMAND}\` from ${source}. Do not edit by hand: CI fails when this file differs from ` +
    `what the command generates (\`${DOCS_COMMAND} --check\`, and \`npm test\`).`
  );
}

/** A Markdown table cell: one line, no bare `|`. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

const code = (text: string): string => `\`${text}\``;
const stateName = (path: string): string => (path === '' ? `(${ANY_STATE})` : code(path));

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

/** Leaves at once: eventless transitions, the last of them unguarded. */
function isTransient(state: StateInfo, transitions: readonly TransitionInfo[]): boolean {
  return transitions.some((transition) => transition.source === state.path && transition.event === 'always' && transition.guard === undefined && transition.targets.length > 0);
}

function kindOf(state: StateInfo, graph: MachineGraph): string {
  const words: string[] = [];
  if (state.region) words.push('region');
  else if (state.initial) words.push('initial');
  if (state.kind !== 'atomic') words.push(state.kind);
  if (isTransient(state, graph.transitions)) words.push('transient');
  return words.join(', ');
}

function statesSection(graph: MachineGraph): string[] {
  const rows = graph.states.map((state) => [
    code(state.path),
    kindOf(state, graph),
    state.description ?? '_(no description in the machine)_',
    state.tags.map(code).join(', '),
  ]);
  return ['## States', '', ...table(['state', 'kind', 'meaning', 'tags'], rows)];
}

function transitionRow(transition: TransitionInfo): string[] {
  return [
    stateName(transition.source),
    code(transition.event),
    transition.guard === undefined ? '' : code(transition.guard),
    transition.targets.map((target) => (target === '' ? '(the machine)' : code(target))).join(', '),
    transition.actions.map(code).join(', '),
  ];
}

function staySection(graph: MachineGraph): string[] {
  const stays = graph.transitions.filter((transition) => transition.targets.length === 0);
  if (stays.length === 0) return [];
  return [
    '## Transitions that keep the state',
    '',
    'Not drawn: the machine takes these events without leaving its state and only runs the actions listed' +
      (stays.some((transition) => transition.actions.includes('accept')) ? ' (`accept` does nothing: it marks the event as one the state takes)' : '') +
      '. An inner state\'s transition for an event comes before its parent\'s, the machine\'s own last.',
    '',
    ...table(
      ['in', 'event', 'guard', 'actions'],
      stays.map((transition) => {
        const [source, event, guard, , actions] = transitionRow(transition);
        return [source!, event!, guard!, actions!];
      }),
    ),
  ];
}

function undrawnSection(graph: MachineGraph): string[] {
  const undrawn = graph.transitions.filter((transition) => transition.targets.length > 0 && !transition.drawn);
  if (undrawn.length === 0) return [];
  return [
    '## Transitions not drawn',
    '',
    'Mermaid cannot draw these: they cross into a parallel region, touch a composite state inside one, or lead ' +
      'between a composite state and a state inside it.',
    '',
    ...table(['from', 'event', 'guard', 'to', 'actions'], undrawn.map(transitionRow)),
  ];
}

function eventsSection(graph: MachineGraph): string[] {
  const where = (event: string): string => {
    const sources: string[] = [];
    for (const transition of graph.transitions) {
      if (transition.event === event && !sources.includes(transition.source)) sources.push(transition.source);
    }
    return sources.map(stateName).join(', ');
  };
  const uses = (guard: string): string => {
    const bySource = new Map<string, string[]>();
    for (const transition of graph.transitions) {
      if (transition.guard !== guard) continue;
      const events = bySource.get(transition.source) ?? [];
      if (!events.includes(transition.event)) events.push(transition.event);
      bySource.set(transition.source, events);
    }
    return [...bySource].map(([source, events]) => `${stateName(source)} on ${events.join(', ')}`).join('; ');
  };
  const lines = [
    '## Events and guards',
    '',
    'The events the machine follows, and the states with a transition for each. The composed model checks every ' +
      'one it sends: an event that neither the current state nor any state around it takes is a `model-conformance` ' +
      'failure.',
    '',
    ...table(['event', 'taken in'], graph.events.map((event) => [code(event), where(event)])),
    '',
    'Guards, by name (their code is in the machine\'s `setup()`):',
    '',
    ...table(['guard', 'used in'], graph.guards.map((guard) => [code(guard), uses(guard)])),
  ];
  if (graph.unusedGuards.length > 0) {
    lines.push('', `Declared in \`setup()\` but used by no transition: ${graph.unusedGuards.map(code).join(', ')}.`);
  }
  return lines;
}

function readingNotes(graph: MachineGraph, mermaid: string): string {
  const labels = mermaid
    .split('\n')
    .filter((line) => line.includes(' --> ') && line.includes(' : '))
    .map((line) => line.slice(line.indexOf(' : ') + 3));
  const notes = ['Arrows are labelled `EVENT [guard]`.'];
  if (labels.some((label) => label.includes(', ') || label.includes(' or '))) {
    notes.push('Transitions between the same two states share one arrow: `E [g1 or g2], F`.');
  }
  if (labels.some((label) => label.startsWith('always'))) {
    notes.push('`always` marks an eventless transition, taken as soon as the state is entered and its guard holds.');
  }
  if (graph.rootKind === 'parallel') {
    notes.push(`The machine is parallel: its regions, separated by dashed lines, are all active at once.`);
  }
  if (mermaid.includes(`"${ANY_STATE}"`)) {
    notes.push(
      `The dashed \`${ANY_STATE}\` node is the machine itself: its arrows are transitions declared on the machine, ` +
        'taken from whatever state it is in when no inner state handles the event.',
    );
  }
  if (graph.states.some((state) => state.tags.includes('violation'))) {
    notes.push('States in red carry the `violation` tag: reaching one is a finding, named by its other tag.');
  }
  return notes.join(' ');
}

/** The page of one machine. */
export function machinePage(name: MachineName, machine: AnyStateMachine = MODEL_MACHINES[name]): string {
  const graph = machineGraph(machine);
  const mermaid = toMermaid(machine);
  const source = SOURCE[name];
  const title = graph.description ? `${name}: ${graph.description.replace(/\.$/, '')}` : name;
  const lines = [
    `# ${title}`,
    '',
    generatedNote(`[${source}](${TO_ROOT}${source})`),
    '',
    LEGEND_INTRO[name],
    '',
    '```mermaid',
    mermaid.trimEnd(),
    '```',
    '',
    readingNotes(graph, mermaid),
    '',
    ...statesSection(graph),
    ...withGap(staySection(graph)),
    ...withGap(undrawnSection(graph)),
    '',
    ...eventsSection(graph),
  ];
  return `${lines.join('\n')}\n`;
}

function withGap(section: string[]): string[] {
  return section.length === 0 ? [] : ['', ...section];
}

/** docs/models/README.md: the pages and how they fit together. */
export function indexPage(): string {
  const names = Object.keys(MODEL_MACHINES) as MachineName[];
  const rows = names.map((name) => {
    const graph = machineGraph(MODEL_MACHINES[name]);
    const violations = graph.states
      .filter((state) => state.tags.includes('violation'))
      .map((state) => `${code(state.path)} (${state.tags.filter((tag) => tag !== 'violation').map(code).join(', ')})`);
    return [`[${name}](${name}.md)`, fedBy(name), graph.description ?? '', code(SOURCE[name]), violations.join(', ') || '—'];
  });
  const lines = [
    '# Executable models',
    '',
    generatedNote('the machines in [models/](../../models/)'),
    '',
    `The simulator models the wake path with ${names.length} XState machines in two layers. Each page below shows one ` +
      'as a Mermaid statechart drawn from the machine itself, with a legend of what each state means in the real ' +
      'system, the events it follows and its guards.',
    '',
    ...table(['machine', 'layer, fed by', 'what it stands for', 'source', 'violation states (property)'], rows),
    '',
    '## Two layers',
    '',
    'The system models (`serverRunner`, `wakeStream`, `digestEntity`) read only what the simulated services observed ' +
      '(reads served, claims answered, leases, heartbeats, manifests, posts) and what the scenario\'s entity code saw ' +
      '(its probes): they apply to any runtime under test. The models of a runtime\'s internals (`runnerLifecycle`, ' +
      '`wiringChain`) read its annotations, and apply only to a runtime that declares their vocabulary ' +
      '(`RuntimeUnderTest.annotations`, protocol/host/AnnotationVocabulary.ts); a run that dropped its annotations is ' +
      'judged by the system models alone.',
    '',
    '## How they are used',
    '',
    '[models/composedModel.ts](../../models/composedModel.ts) composes them into one model of the system: a ' +
      '`serverRunner` per host process, one `wakeStream`, one `digestEntity`, and for a runtime that declares them a ' +
      '`runnerLifecycle` per process and a `wiringChain` per wake; [models/systemModel.ts](../../models/systemModel.ts) ' +
      'follows a run with it. Every abstract event of a run goes to each machine that follows it.',
    '',
    'Every simulated run is checked against the composition: the `model-conformance` property ' +
      '([properties/modelConformance.ts](../../properties/modelConformance.ts)) fails a run at the first event that a ' +
      'machine following it cannot take in its current state, and when a violation state the model entered has no ' +
      'finding of the matching oracle at the same trace event (or the other way round). The oracles are the ' +
      'properties\' own code, run on the same history. A page here that no longer matches the machines is caught ' +
      `too: \`${DOCS_COMMAND} --check\` fails while any page is stale, and so does \`npm test\` (which CI runs); ` +
      `regenerate them with \`${DOCS_COMMAND}\`.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Every page, index first, then the machines in the order of MODEL_MACHINES. */
export function modelDocs(): DocFile[] {
  const names = Object.keys(MODEL_MACHINES) as MachineName[];
  return [{ file: 'README.md', text: indexPage() }, ...names.map((name) => ({ file: `${name}.md`, text: machinePage(name) }))];
}
