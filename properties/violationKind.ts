import type { Violation } from './Violation.ts';

/**
 * A kind of failure, finer than a property: `concurrent-wake:restart-forgot-lease` for a violation that names a cause,
 * the bare property name for one that does not. What `explore --keep-going` lists per run and `npm run mutants`
 * compares runs by; written and read here only.
 */
export function violationKind(violation: Pick<Violation, 'property' | 'cause'>): string {
  return violation.cause === undefined ? violation.property : `${violation.property}:${violation.cause}`;
}

/** The property and the cause (if any) of a kind {@link violationKind} wrote. */
export function parseViolationKind(kind: string): { readonly property: string; readonly cause?: string } {
  const colon = kind.indexOf(':');
  return colon < 0 ? { property: kind } : { property: kind.slice(0, colon), cause: kind.slice(colon + 1) };
}
