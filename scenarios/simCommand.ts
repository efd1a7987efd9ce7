/**
 * How a user starts the command line from where this code runs: `npx wake-sim` where the package is installed (its
 * modules live under a `node_modules` folder), `npm run sim --` in a checkout of this project. Help texts and the
 * commands printed for a user to paste (a replay, a merge) name it, so that they work where they are read.
 */
export const SIM_COMMAND: string = new URL(import.meta.url).pathname.includes('/node_modules/') ? 'npx wake-sim' : 'npm run sim --';
