import type { AnyMachineSnapshot, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { MODEL_MACHINES } from '../composedModel.ts';
import { catalogStates, catalogTransitions, statePath, transitionId, type CatalogTransition } from './transitionCatalog.ts';

/** Receives what the machines of a {@link SystemModel} do, for coverage. */
export interface ModelObserver {
  transitionTaken(machine: string, definition: AnyTransitionDefinition): void;
  stateEntered(machine: string, snapshot: AnyMachineSnapshot): void;
}

/** Coverage figures of the composed model. */
export interface CoverageReport {
  readonly states: { readonly covered: number; readonly total: number; readonly missing: readonly string[] };
  readonly transitions: { readonly covered: number; readonly total: number; readonly missing: readonly CatalogTransition[] };
}

/** Collects which states and transitions of the composed model a batch of runs exercised. */
export class ModelCoverage implements ModelObserver {
  private readonly takenTransitions = new Set<string>();
  private readonly visitedStates = new Set<string>();

  transitionTaken(machine: string, definition: AnyTransitionDefinition): void {
    this.takenTransitions.add(transitionId(machine, definition));
    // A transient state (left at once by an eventless transition) never shows in a snapshot: its transition shows it.
    const source = definition.source as AnyStateNode;
    if (source.path.length > 0) this.visitedStates.add(`${machine}:${statePath(source)}`);
  }

  stateEntered(machine: string, snapshot: AnyMachineSnapshot): void {
    for (const node of snapshot._nodes as AnyStateNode[]) if (node.path.length > 0) this.visitedStates.add(`${machine}:${statePath(node)}`);
  }

  report(): CoverageReport {
    const machines = Object.entries(MODEL_MACHINES);
    const states = machines.flatMap(([name, logic]) => catalogStates(name, logic));
    const transitions = machines.flatMap(([name, logic]) => catalogTransitions(name, logic));
    const missingTransitions = transitions.filter((transition) => !this.takenTransitions.has(transition.id));
    const missingStates = states.filter((state) => !this.visitedStates.has(state));
    return {
      states: { covered: states.length - missingStates.length, total: states.length, missing: missingStates },
      transitions: { covered: transitions.length - missingTransitions.length, total: transitions.length, missing: missingTransitions },
    };
  }
}
