// Entry of the worker threads of a scaled-out search (taskRunner.ts). Node 20 cannot import TypeScript by itself,
// and a worker does not reliably inherit the parent's loader hooks: under `tsx` the inherited `--import` flags leave
// `.ts` imports unknown inside tinypool's workers, and vitest's transform does not reach workers at all. So the pool
// starts its workers with an empty execArgv and this plain-JavaScript entry registers tsx's loader in the worker
// itself before importing the TypeScript task code.
import { register } from 'tsx/esm/api';

register();
const { runTask } = await import('./tasks.ts');

export default runTask;
