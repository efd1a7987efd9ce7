import type { RunHistory } from './RunHistory.ts';
import type { Violation } from './Violation.ts';

/** A property a run is judged by. */
export interface PropertyDefinition {
  /** Unique, lower-case and `-`-separated: `duplicate-action`. */
  readonly name: string;
  /** One line for `--help`, reports and docs. */
  readonly summary: string;
  /** Safety (something bad never happens), liveness (something good eventually does), or about the run itself. */
  readonly kind: 'safety' | 'liveness' | 'run';
  /**
   * The violations of this property in a run, each at the event that shows it. `verdicts` holds the names of the
   * properties registered before this one that the run violated (for checks of agreement between judges).
   */
  judge(history: RunHistory, verdicts: ReadonlySet<string>): Violation[];
}

/** Thrown for an unknown or clashing property name; the message is a complete one-line explanation. */
export class PropertyRegistryError extends Error {
  override name = 'PropertyRegistryError';
}

const properties = new Map<string, PropertyDefinition>();

/**
 * Makes a property part of every run's judgement, after those registered before it. Registering the same object
 * again is a no-op; another property under a taken name is refused.
 */
export function registerProperty(property: PropertyDefinition): void {
  const known = properties.get(property.name);
  if (known && known !== property) throw new PropertyRegistryError(`a property named "${property.name}" is already registered`);
  properties.set(property.name, property);
}

/** The names of every registered property, in registration (and judgement) order. */
export function propertyNames(): string[] {
  return [...properties.keys()];
}

/** Every registered property, in order. */
export function registeredProperties(): readonly PropertyDefinition[] {
  return [...properties.values()];
}

/** The registered property of that name. */
export function getProperty(name: string): PropertyDefinition {
  const property = properties.get(name);
  if (!property) throw new PropertyRegistryError(`unknown property "${name}" (known: ${propertyNames().join(', ')})`);
  return property;
}
