/**
 * How a user starts the command line from where this code runs: `npm run sim --` in a checkout of this project, whose
 * TypeScript sources run as they are (tsx, vitest), `npx wake-sim` from the built package (its JavaScript in `dist/`,
 * installed or linked). Help texts and the commands printed for a user to paste (a replay, a merge) name it, so that
 * they work where they are read. Printed text only: nothing a run records depends on it.
 */
export const SIM_COMMAND: string = new URL(import.meta.url).pathname.endsWith('.ts') ? 'npm run sim --' : 'npx wake-sim';

/** The name a one-line error starts with (`sim: ...`, or `wake-sim: ...` from the package), as the command was typed. */
export const PROGRAM_NAME: string = SIM_COMMAND === 'npx wake-sim' ? 'wake-sim' : 'sim';
