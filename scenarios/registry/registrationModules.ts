import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { enableTypeScriptImports, isTypeScriptModule } from './typeScriptImports.ts';

/** A registration module that is missing or failed to load; the message is a complete one-line explanation. */
export class RegistrationModuleError extends Error {
  override name = 'RegistrationModuleError';
}

/** URLs of the registration modules this thread loaded, in load order: what worker threads load before any task. */
const loaded: string[] = [];

/**
 * Imports a module that registers runtimes, scenarios, properties and fault kinds (a `wake-sim.config.mjs`, say) and
 * remembers it, so that the worker threads of a scaled-out search (`--workers`, `workers` of `simCheck`) import it
 * too before they run anything: a worker starts with nothing registered but the built-ins. Loading the same module
 * again does nothing. A TypeScript module (`.ts`, `.mts`) needs `tsx` installed in the project and must be an ES
 * module (`.mts`, or `.ts` in a `"type": "module"` package).
 *
 * @param module A path (relative to `cwd`) or a `file:` URL.
 * @param cwd Where a relative path starts; the current directory by default.
 * @returns The module's `file:` URL.
 * @throws {@link RegistrationModuleError} when the module does not exist, needs a TypeScript loader that is not
 *   installed, or throws while it loads (a clashing registration, say).
 */
export async function loadRegistrations(module: string | URL, cwd: string = process.cwd()): Promise<string> {
  const url = typeof module === 'string' && !module.startsWith('file:') ? pathToFileURL(resolve(cwd, module)) : new URL(module);
  const shown = typeof module === 'string' ? module : fileURLToPath(url);
  if (loaded.includes(url.href)) return url.href;
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) throw new RegistrationModuleError(`registration module ${shown} not found`);
  if (isTypeScriptModule(url) && !(await enableTypeScriptImports(url))) {
    throw new RegistrationModuleError(
      `registration module ${shown} is TypeScript and tsx is not installed: npm install --save-dev tsx, or write it as .mjs`,
    );
  }
  try {
    await import(url.href);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new RegistrationModuleError(`registration module ${shown} failed to load: ${reason.split('\n')[0]}`);
  }
  loaded.push(url.href);
  return url.href;
}

/** The URLs of the registration modules loaded in this thread, in load order. */
export function registrationModules(): readonly string[] {
  return [...loaded];
}
