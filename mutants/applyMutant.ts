import type { Mutant } from './Mutant.ts';

/** Why a mutant could not be planted in the source it names. */
export class MutantNotApplicable extends Error {
  override name = 'MutantNotApplicable';
}

/**
 * The source with the mutant planted. The search text must occur exactly once: none means the code moved on and the
 * mutant is stale; more than one means the replacement would be ambiguous. Either is an error, never a silent no-op.
 */
export function applyMutant(source: string, mutant: Mutant): string {
  const first = source.indexOf(mutant.search);
  if (first < 0) throw new MutantNotApplicable(`${mutant.id}: search text not found in ${mutant.file}`);
  if (source.indexOf(mutant.search, first + 1) >= 0) throw new MutantNotApplicable(`${mutant.id}: search text occurs more than once in ${mutant.file}`);
  if (mutant.search === mutant.replace) throw new MutantNotApplicable(`${mutant.id}: replacement equals the search text`);
  return source.slice(0, first) + mutant.replace + source.slice(first + mutant.search.length);
}
