// Entry of the worker threads of a scaled-out search (taskRunner.ts). Plain JavaScript, because it runs in two places:
// - from the source tree, next to tasks.ts: Node 20 cannot import TypeScript by itself, and a worker does not reliably
//   inherit the parent's loader hooks (under `tsx` the inherited `--import` flags leave `.ts` imports unknown inside
//   tinypool's workers, and vitest's transform does not reach workers at all). So the pool starts its workers with an
//   empty execArgv and this file registers tsx's loader in the worker itself before importing the TypeScript code;
// - from the package (dist/, next to tasks.js, emitted by the build): nothing to register, unless a registration
//   module is TypeScript, which registrationModules.ts handles.
// Before any task, the worker imports the registration modules the main thread loaded (taskRunner.ts passes their
// URLs as workerData): a worker starts with only the built-in runtimes, scenarios, properties and fault kinds.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';

const fromSource = existsSync(fileURLToPath(new URL('./tasks.ts', import.meta.url)));
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
}
const extension = fromSource ? 'ts' : 'js';
const { loadRegistrations } = await import(new URL(`../registry/registrationModules.${extension}`, import.meta.url).href);
for (const module of Tinypool.workerData?.registrationModules ?? []) await loadRegistrations(new URL(module));
const { runTask } = await import(new URL(`./tasks.${extension}`, import.meta.url).href);

export default runTask;
