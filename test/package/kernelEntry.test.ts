import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** `from './x.ts'`, `import './x.ts'`, `import('./x.ts')`: every relative import of a source file. */
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every project file `entry` reaches through relative imports, itself included, relative to the project root. */
function reachableFiles(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [resolve(ROOT, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) pending.push(resolve(dirname(file), match[1]!));
  }
  return [...seen].map((file) => relative(ROOT, file)).sort();
}

describe('wake-sim/kernel is usable alone', () => {
  it('the kernel entry reaches nothing outside sim/: no world, runtime, protocol, scenario or property', () => {
    const reached = reachableFiles('api/kernel.ts');
    expect(reached).toContain('sim/hermetic/VirtualGlobals.ts');
    expect(reached.filter((file) => file !== 'api/kernel.ts' && !file.startsWith('sim/'))).toEqual([]);
  });

  it('the kernel-bank example uses the kernel entry and nothing else of the project', () => {
    const project = reachableFiles('examples/kernel-bank/kernelBank.test.ts').filter((file) => !file.startsWith('examples/kernel-bank/'));
    expect(project.filter((file) => !file.startsWith('sim/'))).toEqual(['api/kernel.ts']);
  });
});
