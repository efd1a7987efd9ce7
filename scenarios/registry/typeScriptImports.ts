import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Extensions of modules Node 20 cannot import by itself. */
const TYPESCRIPT_MODULE = /\.(?:ts|mts|cts)$/;

/** Whether this thread already registered tsx's loader (registering is per thread: every worker does it itself). */
let registered = false;

/** True when the module at `url` is TypeScript source. */
export function isTypeScriptModule(url: URL): boolean {
  return TYPESCRIPT_MODULE.test(url.pathname);
}

/**
 * Makes `import()` of TypeScript modules work in this thread by registering tsx's ESM loader. tsx is resolved the way
 * the module that needs it would resolve it (from `moduleUrl`, so the user's own tsx), else from wake-sim's own
 * dependencies. Registering on top of a loader already active (a process started with `tsx`, vitest) is harmless,
 * so this does not try to detect one: an import that fails for want of a loader cannot be retried (Node caches the
 * failure). Returns false when no tsx is installed.
 */
export async function enableTypeScriptImports(moduleUrl: URL): Promise<boolean> {
  if (registered) return true;
  const apiPath = tsxEsmApi(moduleUrl) ?? tsxEsmApi(new URL(import.meta.url));
  if (apiPath === undefined) return false;
  const api = (await import(pathToFileURL(apiPath).href)) as { register: () => unknown };
  api.register();
  registered = true;
  return true;
}

/**
 * The file of tsx's `tsx/esm/api` under the `import` condition, as seen from `from`. `require.resolve` would give the
 * `require` condition's file, which cannot register the ESM loader when imported; so the package's own `exports` map
 * is read for the import target.
 */
function tsxEsmApi(from: URL): string | undefined {
  let manifestPath: string;
  try {
    manifestPath = createRequire(from).resolve('tsx/package.json');
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Record<string, unknown> };
  const target = importTarget(manifest.exports?.['./esm/api']);
  return target === undefined ? undefined : join(dirname(manifestPath), target);
}

/** The path an `exports` entry gives under the `import` condition (nested conditions followed, `default` last). */
function importTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry === null || typeof entry !== 'object') return undefined;
  const conditions = entry as Record<string, unknown>;
  return importTarget(conditions['import']) ?? importTarget(conditions['default']);
}
