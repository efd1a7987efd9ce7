import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/** One transition as written in a machine definition. */
export interface CatalogTransition {
  /** `machine:source:EVENT#index`, unique within the composed model. */
  readonly id: string;
  readonly machine: string;
  /** Dotted path of the state the transition is defined on (`(root)` for the machine itself). */
  readonly source: string;
  /** Event type, or `always` for an eventless transition. */
  readonly event: string;
  readonly guard: string | undefined;
  /** Dotted paths of the targets; empty for a transition that stays put. */
  readonly targets: readonly string[];
}

export const statePath = (node: AnyStateNode): string => (node.path.length === 0 ? '(root)' : node.path.join('.'));

function guardName(definition: AnyTransitionDefinition): string | undefined {
  const guard = definition.guard as unknown;
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'inline';
}

/**
 * Identifiers already built, by definition and machine name: every run's coverage asks for the id of each
 * transition it takes, and building one walks the source state's transitions (hundreds of times a run).
 */
const KNOWN_IDS = new WeakMap<AnyTransitionDefinition, Map<string, string>>();

/** The identifier of a transition definition, as the catalog lists it. */
export function transitionId(machine: string, definition: AnyTransitionDefinition): string {
  let byMachine = KNOWN_IDS.get(definition);
  const known = byMachine?.get(machine);
  if (known !== undefined) return known;
  const id = buildTransitionId(machine, definition);
  if (!byMachine) {
    byMachine = new Map();
    KNOWN_IDS.set(definition, byMachine);
  }
  byMachine.set(machine, id);
  return id;
}

function buildTransitionId(machine: string, definition: AnyTransitionDefinition): string {
  const source = definition.source as AnyStateNode;
  const eventless = definition.eventType === '';
  const siblings: readonly AnyTransitionDefinition[] = eventless ? source.always ?? [] : source.transitions.get(definition.eventType) ?? [];
  return `${machine}:${statePath(source)}:${eventless ? 'always' : definition.eventType}#${siblings.indexOf(definition)}`;
}

function describe(machine: string, definition: AnyTransitionDefinition): CatalogTransition {
  const source = definition.source as AnyStateNode;
  return {
    id: transitionId(machine, definition),
    machine,
    source: statePath(source),
    event: definition.eventType === '' ? 'always' : definition.eventType,
    guard: guardName(definition),
    targets: (definition.target ?? []).map((target: AnyStateNode) => statePath(target)),
  };
}

function walk(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states as Record<string, AnyStateNode>).flatMap(walk)];
}

/** Every transition defined in a machine, in declaration order. */
export function catalogTransitions(machine: string, logic: AnyStateMachine): CatalogTransition[] {
  return walk(logic.root).flatMap((node) => [
    ...[...node.transitions.values()].flat().map((definition) => describe(machine, definition)),
    ...(node.always ?? []).map((definition: AnyTransitionDefinition) => describe(machine, definition)),
  ]);
}

/** Every state of a machine (not the root), as `machine:path`. */
export function catalogStates(machine: string, logic: AnyStateMachine): string[] {
  return walk(logic.root)
    .filter((node) => node.path.length > 0)
    .map((node) => `${machine}:${statePath(node)}`);
}
