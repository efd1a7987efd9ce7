import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/**
 * Turns an XState machine into a Mermaid `stateDiagram-v2`, from the machine's runtime structure (`machine.root` and
 * its state nodes), so the picture cannot drift from the code. Pure and deterministic: states and transitions come out
 * in declaration order.
 *
 * Mermaid's state diagrams have a few sharp edges this works around:
 * - state ids are global and must be plain words: every state gets an id from its dotted path (`running_connecting`)
 *   and keeps its own key as the label (`state "connecting" as running_connecting`);
 * - a state mentioned inside a `state X { ... }` block moves into X, so a block only holds transitions between its
 *   own children; every other transition is written at the top level, after all blocks;
 * - transitions that cross into a parallel region (or touch a composite state inside one) break the renderer, so
 *   those are not drawn but listed ({@link MachineGraph.transitions} marks them `drawn: false`);
 * - the machine itself is not a state in the picture: transitions declared on it (taken from whatever state the
 *   machine is in) leave from a dashed pseudo-state labelled "any state".
 * Transitions without a target (the state stays, actions may run) are not drawn either; the docs list them.
 */

export type StateKind = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

/** One state of the machine (never the root). */
export interface StateInfo {
  /** Dotted path from the root: `running.connecting`. */
  readonly path: string;
  readonly key: string;
  /** The Mermaid id. */
  readonly id: string;
  readonly kind: StateKind;
  /** Whether the state is where its parent starts (for a region of a parallel state: always). */
  readonly initial: boolean;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  /** A region of a parallel state. */
  readonly region: boolean;
}

/** One transition definition. */
export interface TransitionInfo {
  /** Dotted path of the state it is declared on; `''` for the machine itself. */
  readonly source: string;
  /** The event type, or `always` for an eventless transition. */
  readonly event: string;
  readonly guard: string | undefined;
  readonly actions: readonly string[];
  /** Dotted paths of the targets; empty when the state stays (`''` for a target that is the machine itself). */
  readonly targets: readonly string[];
  /** `EVENT [guard]`, as on the diagram. */
  readonly label: string;
  /** Drawn as an edge on the diagram (false for a targetless transition and for one Mermaid cannot draw). */
  readonly drawn: boolean;
}

export interface MachineGraph {
  readonly id: string;
  readonly description: string | undefined;
  readonly rootKind: 'compound' | 'parallel';
  readonly states: readonly StateInfo[];
  readonly transitions: readonly TransitionInfo[];
  /** Event types the machine has transitions for, in order of first appearance (`always` excluded). */
  readonly events: readonly string[];
  /** Guard names in order of first appearance. */
  readonly guards: readonly string[];
  /** Guards declared in `setup()` that no transition uses. */
  readonly unusedGuards: readonly string[];
}

/** Fill and stroke of a state tagged `violation`. */
export const VIOLATION_CLASS = 'violation';
const VIOLATION_STYLE = 'fill:#fde2e2,stroke:#c62828,stroke-width:2px,color:#8e0000,font-weight:bold';
const ANY_STATE_CLASS = 'anyState';
const ANY_STATE_STYLE = 'fill:#ffffff,stroke:#777777,stroke-dasharray:4 3,color:#555555';
const ANY_STATE_LABEL = 'any state';
const INDENT = '    ';

/** Words Mermaid's state diagram lexer treats as keywords: never used as a bare id. */
const RESERVED = new Set(['state', 'note', 'end', 'as', 'direction', 'class', 'classdef', 'style', 'click', 'hide', 'scale', 'left', 'right', 'of', 'over', 'tb', 'bt', 'lr', 'rl', 'acctitle', 'accdescr']);

function childrenOf(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states as Record<string, AnyStateNode>);
}

function walk(node: AnyStateNode): AnyStateNode[] {
  return [node, ...childrenOf(node).flatMap(walk)];
}

const pathOf = (node: AnyStateNode): string => (node.path as readonly string[]).join('.');

function kindOf(node: AnyStateNode): StateKind {
  const type = node.type as string;
  return type === 'atomic' || type === 'compound' || type === 'parallel' || type === 'final' || type === 'history' ? type : 'atomic';
}

/** A guard as a name: the string of a named guard, `!a`, `a && b`, `a || b` for XState's combinators. */
export function guardName(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const combined = (guard as { guards?: unknown[] }).guards;
    const name = (guard as { name?: string }).name;
    if (Array.isArray(combined) && (name === 'not' || name === 'and' || name === 'or')) {
      const parts = combined.map((inner) => guardName(inner) ?? 'inline');
      if (name === 'not') return `!${parts[0] ?? 'inline'}`;
      return parts.join(name === 'and' ? ' && ' : ' || ');
    }
    return name && name !== 'guard' ? name : 'inline';
  }
  if (typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'inline';
}

function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'object' && action !== null && 'type' in action) return String((action as { type: unknown }).type);
  if (typeof action === 'function') {
    const fn = action as { type?: unknown; name?: string };
    if (typeof fn.type === 'string') return fn.type;
    return fn.name || 'inline';
  }
  return 'inline';
}

function eventLabel(eventType: string): string {
  if (eventType === '') return 'always';
  if (eventType === '*') return 'any event';
  const after = /^xstate\.after\.(\d+)\./.exec(eventType);
  if (after) return `after ${after[1]} ms`;
  if (eventType.startsWith('xstate.done.state.')) return 'onDone';
  return eventType;
}

/** Text Mermaid takes in an edge label: no `:`, `;`, `#` (entity codes) or line breaks. */
function labelText(text: string): string {
  return text.replace(/[:;#\n\r]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function transitionLabel(event: string, guard: string | undefined): string {
  return labelText(guard === undefined ? event : `${event} [${guard}]`);
}

/** Mermaid ids for every state (by dotted path), plus free ids for the root wrapper and the "any state" node. */
function allocateIds(machine: AnyStateMachine, nodes: readonly AnyStateNode[]): { byPath: Map<string, string>; rootId: string; anyId: string } {
  const used = new Set<string>();
  const allocate = (base: string): string => {
    let id = base.replace(/[^A-Za-z0-9_]/g, '_');
    if (id === '' || /^[0-9]/.test(id) || RESERVED.has(id.toLowerCase())) id = `s_${id}`;
    let candidate = id;
    for (let n = 2; used.has(candidate.toLowerCase()); n += 1) candidate = `${id}_${n}`;
    used.add(candidate.toLowerCase());
    return candidate;
  };
  const byPath = new Map<string, string>();
  for (const node of nodes) if (node.path.length > 0) byPath.set(pathOf(node), allocate((node.path as readonly string[]).join('_')));
  return { byPath, rootId: allocate(String(machine.id)), anyId: allocate('any_state') };
}

/** Whether a node lies inside a parallel state (strictly below one; the root counts). */
function insideParallel(node: AnyStateNode): boolean {
  for (let parent = node.parent as AnyStateNode | undefined; parent; parent = parent.parent as AnyStateNode | undefined) {
    if (parent.type === 'parallel') return true;
  }
  return false;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly event: string;
  readonly guard: string | undefined;
}

/** One arrow per pair of states: `A --> B : E1 [g1 or g2], E2` for every transition from A to B, in order. */
interface Arrow {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

function mergeEdges(edges: readonly Edge[]): Arrow[] {
  const pairs = new Map<string, Edge[]>();
  for (const edge of edges) {
    const key = `${edge.from} ${edge.to}`;
    pairs.set(key, [...(pairs.get(key) ?? []), edge]);
  }
  return [...pairs.values()].map((group) => {
    const byEvent = new Map<string, Array<string | undefined>>();
    for (const edge of group) byEvent.set(edge.event, [...(byEvent.get(edge.event) ?? []), edge.guard]);
    const parts = [...byEvent].map(([event, guards]) =>
      guards.includes(undefined) ? event : `${event} [${guards.join(' or ')}]`,
    );
    return { from: group[0]!.from, to: group[0]!.to, label: labelText(parts.join(', ')) };
  });
}

interface Layout {
  readonly graph: MachineGraph;
  readonly ids: ReadonlyMap<string, string>;
  readonly rootId: string;
  readonly anyId: string;
  /** Edges to write inside the block of a state (by dotted path; `''` for the top level). */
  readonly edgesIn: ReadonlyMap<string, Arrow[]>;
  readonly usesAnyState: boolean;
}

function layout(machine: AnyStateMachine): Layout {
  const root = machine.root as AnyStateNode;
  const nodes = walk(root);
  const { byPath: ids, rootId, anyId } = allocateIds(machine, nodes);
  const rootKind = root.type === 'parallel' ? 'parallel' : 'compound';

  const states: StateInfo[] = nodes
    .filter((node) => node.path.length > 0)
    .map((node) => {
      const parent = node.parent as AnyStateNode;
      const initialTargets: readonly AnyStateNode[] = (parent.initial as AnyTransitionDefinition | undefined)?.target ?? [];
      const initial = parent.type === 'parallel' || initialTargets.some((target) => target === node || pathOf(target).startsWith(`${pathOf(node)}.`));
      return {
        path: pathOf(node),
        key: String(node.key),
        id: ids.get(pathOf(node))!,
        kind: kindOf(node),
        initial,
        description: node.description as string | undefined,
        tags: [...((node.tags as readonly string[] | undefined) ?? [])],
        region: parent.type === 'parallel',
      };
    });

  const edgesByScope = new Map<string, Edge[]>();
  const place = (scope: string, edge: Edge): void => {
    const list = edgesByScope.get(scope) ?? [];
    list.push(edge);
    edgesByScope.set(scope, list);
  };
  let usesAnyState = false;
  const transitions: TransitionInfo[] = [];
  const events: string[] = [];
  const guards: string[] = [];

  for (const node of nodes) {
    const definitions: AnyTransitionDefinition[] = [...(node.transitions as Map<string, AnyTransitionDefinition[]>).values()].flat();
    definitions.push(...((node.always as AnyTransitionDefinition[] | undefined) ?? []));
    for (const definition of definitions) {
      const eventType = String(definition.eventType);
      const event = eventLabel(eventType);
      const guard = guardName(definition.guard);
      const targets: readonly AnyStateNode[] = definition.target ?? [];
      const label = transitionLabel(event, guard);
      if (eventType !== '' && !events.includes(event)) events.push(event);
      if (guard !== undefined && !guards.includes(guard)) guards.push(guard);

      let drawn = targets.length > 0;
      const placements: Array<{ scope: string; edge: Edge }> = [];
      for (const target of targets) {
        const placement = placeEdge(node, target, event, guard);
        if (!placement) {
          drawn = false;
          break;
        }
        placements.push(placement);
      }
      if (drawn) {
        for (const { scope, edge } of placements) place(scope, edge);
        if (node.path.length === 0) usesAnyState = true;
      }
      transitions.push({
        source: pathOf(node),
        event,
        guard,
        actions: ((definition.actions as readonly unknown[] | undefined) ?? []).map(actionName),
        targets: targets.map(pathOf),
        label,
        drawn,
      });
    }
  }

  /** Where an edge goes, or undefined when Mermaid cannot draw it. */
  function placeEdge(source: AnyStateNode, target: AnyStateNode, event: string, guard: string | undefined): { scope: string; edge: Edge } | undefined {
    if (target.path.length === 0) return undefined;
    const to = ids.get(pathOf(target))!;
    if (source.path.length === 0) {
      // From the machine itself: the "any state" node lives at the top level.
      if (insideParallel(target)) return undefined;
      return { scope: '', edge: { from: anyId, to, event, guard } };
    }
    const from = ids.get(pathOf(source))!;
    const parent = source.parent as AnyStateNode;
    const composite = (node: AnyStateNode): boolean => node.type === 'compound' || node.type === 'parallel';
    if (target.parent === parent) {
      // Siblings: drawn inside their parent's block, unless that parent is parallel (an edge between regions) or the
      // edge touches a composite state inside a parallel region (Mermaid cannot lay either out).
      if (parent.type === 'parallel') return undefined;
      if (insideParallel(source) && (composite(source) || composite(target))) return undefined;
      return { scope: pathOf(parent), edge: { from, to, event, guard } };
    }
    // Across levels: only at the top level, only outside parallel states, and never between a composite and a state
    // inside it (Mermaid cannot lay out an arrow from a box into its own contents).
    if (insideParallel(source) || insideParallel(target)) return undefined;
    const within = (inner: string, outer: string): boolean => inner.startsWith(`${outer}.`);
    if (within(pathOf(source), pathOf(target)) || within(pathOf(target), pathOf(source))) return undefined;
    return { scope: '', edge: { from, to, event, guard } };
  }

  const graph: MachineGraph = {
    id: String(machine.id),
    description: root.description as string | undefined,
    rootKind,
    states,
    transitions,
    events,
    guards,
    unusedGuards: Object.keys((machine.implementations as { guards?: Record<string, unknown> }).guards ?? {}).filter(
      (name) => !guards.some((guard) => (guard.match(/[^\s!&|]+/g) ?? ([] as string[])).includes(name)),
    ),
  };
  const edgesIn = new Map([...edgesByScope].map(([scope, edges]) => [scope, mergeEdges(edges)] as const));
  return { graph, ids, rootId, anyId, edgesIn, usesAnyState };
}

/** The machine's states and transitions as the diagram and the docs show them. */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  return layout(machine).graph;
}

/** The Mermaid id of every state, by dotted path. */
export function mermaidIds(machine: AnyStateMachine): ReadonlyMap<string, string> {
  return layout(machine).ids;
}

function edgeLine(edge: Arrow): string {
  return edge.label === '' ? `${edge.from} --> ${edge.to}` : `${edge.from} --> ${edge.to} : ${edge.label}`;
}

function quoted(text: string): string {
  return `"${text.replace(/"/g, "'")}"`;
}

/** The machine as a Mermaid `stateDiagram-v2`, without the surrounding ```mermaid fence; ends with a newline. */
export function toMermaid(machine: AnyStateMachine): string {
  const plan = layout(machine);
  const root = machine.root as AnyStateNode;
  const lines: string[] = ['stateDiagram-v2'];

  const declare = (node: AnyStateNode, depth: number): void => {
    const pad = INDENT.repeat(depth);
    const id = plan.ids.get(pathOf(node))!;
    const key = String(node.key);
    if (node.type === 'compound' || node.type === 'parallel') {
      lines.push(`${pad}${id === key ? `state ${id}` : `state ${quoted(key)} as ${id}`} {`);
      body(node, depth + 1);
      lines.push(`${pad}}`);
    } else {
      // Always the quoted form: a bare `state x` line followed by a later `state y {` lexes as one state name.
      lines.push(`${pad}state ${quoted(key)} as ${id}`);
    }
  };

  /** The inside of a composite: its start, its children, the edges between them, its ends. */
  const body = (node: AnyStateNode, depth: number): void => {
    const pad = INDENT.repeat(depth);
    const children = childrenOf(node);
    if (node.type === 'parallel') {
      children.forEach((child, index) => {
        if (index > 0) lines.push(`${pad}--`);
        declare(child, depth);
      });
      return;
    }
    const initialTargets: readonly AnyStateNode[] = (node.initial as AnyTransitionDefinition | undefined)?.target ?? [];
    for (const child of children) declare(child, depth);
    if (node === root && plan.usesAnyState) lines.push(`${pad}state ${quoted(ANY_STATE_LABEL)} as ${plan.anyId}`);
    for (const target of initialTargets) {
      // A deep initial target is drawn to the child that holds it (a deeper mention would move it into this block).
      const child = children.find((candidate) => candidate === target || pathOf(target).startsWith(`${pathOf(candidate)}.`));
      if (child) lines.push(`${pad}[*] --> ${plan.ids.get(pathOf(child))!}`);
    }
    for (const edge of plan.edgesIn.get(pathOf(node)) ?? []) lines.push(`${pad}${edgeLine(edge)}`);
    for (const child of children) if (child.type === 'final') lines.push(`${pad}${plan.ids.get(pathOf(child))!} --> [*]`);
  };

  if (root.type === 'parallel') {
    // Regions need a composite to be separated by `--`: the machine itself is that composite.
    const head = plan.rootId === plan.graph.id ? `state ${plan.rootId}` : `state ${quoted(plan.graph.id)} as ${plan.rootId}`;
    lines.push(`${INDENT}${head} {`);
    body(root, 2);
    lines.push(`${INDENT}}`);
    if (plan.usesAnyState) lines.push(`${INDENT}state ${quoted(ANY_STATE_LABEL)} as ${plan.anyId}`);
    lines.push(`${INDENT}[*] --> ${plan.rootId}`);
    for (const edge of plan.edgesIn.get('') ?? []) lines.push(`${INDENT}${edgeLine(edge)}`);
  } else {
    body(root, 1);
  }

  const violations = plan.graph.states.filter((state) => state.tags.includes('violation') && state.kind !== 'compound' && state.kind !== 'parallel');
  if (violations.length > 0) {
    lines.push(`${INDENT}classDef ${VIOLATION_CLASS} ${VIOLATION_STYLE}`);
    lines.push(`${INDENT}class ${violations.map((state) => state.id).join(',')} ${VIOLATION_CLASS}`);
  }
  if (plan.usesAnyState) {
    lines.push(`${INDENT}classDef ${ANY_STATE_CLASS} ${ANY_STATE_STYLE}`);
    lines.push(`${INDENT}class ${plan.anyId} ${ANY_STATE_CLASS}`);
  }
  return `${lines.join('\n')}\n`;
}
