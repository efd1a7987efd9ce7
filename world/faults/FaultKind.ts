/**
 * The kinds of fault the world can inject (semantics.md §6). Each is a choice, so faults replay and shrink with the
 * rest of the story.
 */
export const FAULT_KINDS = [
  'redeploy',
  'crash',
  'server-restart',
  'preload-not-found',
  'preload-foreign-item',
  'delivery-reorder',
  'heartbeat-failure',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** The bug report's world: redeploys, transient preload failures of both kinds, reordered deliveries. */
export const DEFAULT_FAULT_KINDS: readonly FaultKind[] = ['redeploy', 'preload-not-found', 'preload-foreign-item', 'delivery-reorder'];

/** Thrown for an unknown fault name; the message is a complete one-line explanation. */
export class FaultListError extends Error {
  override name = 'FaultListError';
}

/**
 * Parses `--faults`: a comma-separated list of kinds, or `default`, `all`, `none`. The result keeps the canonical
 * order of {@link FAULT_KINDS}, so equal sets print and encode equally.
 */
export function parseFaultList(text: string): FaultKind[] {
  const words = text.split(',').map((word) => word.trim()).filter((word) => word.length > 0);
  const chosen = new Set<FaultKind>();
  for (const word of words) {
    if (word === 'none') continue;
    if (word === 'default') DEFAULT_FAULT_KINDS.forEach((kind) => chosen.add(kind));
    else if (word === 'all') FAULT_KINDS.forEach((kind) => chosen.add(kind));
    else if ((FAULT_KINDS as readonly string[]).includes(word)) chosen.add(word as FaultKind);
    else throw new FaultListError(`unknown fault "${word}" (known: ${FAULT_KINDS.join(', ')}, or default, all, none)`);
  }
  return FAULT_KINDS.filter((kind) => chosen.has(kind));
}
