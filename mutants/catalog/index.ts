import type { Mutant } from '../Mutant.ts';
import { V04_MUTANTS } from './v04Mutants.ts';
import { V06_MUTANTS } from './v06Mutants.ts';

/** Every planted defect of the suite, v0.4 first; ids are unique (checked by test/mutants). */
export const ALL_MUTANTS: readonly Mutant[] = [...V04_MUTANTS, ...V06_MUTANTS];
