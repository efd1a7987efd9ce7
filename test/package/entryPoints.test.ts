import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** `from '...'`, `import '...'`, `import('...')`: every import specifier of a source file. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

/** What an entry point reaches: the project files (relative to the root, itself included) and the packages imported. */
function reach(entry: string): { readonly files: string[]; readonly packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const pending = [resolve(ROOT, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (specifier!.startsWith('.')) pending.push(resolve(dirname(file), specifier!));
      else if (!specifier!.startsWith('node:')) packages.add(specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!);
    }
  }
  return { files: [...seen].map((file) => relative(ROOT, file)).sort(), packages: [...packages].sort() };
}

describe('what each entry point of the package reaches', () => {
  it('wake-sim/kernel reaches nothing outside sim/: no world, runtime, protocol, scenario or property', () => {
    const { files } = reach('api/kernel.ts');
    expect(files).toContain('sim/hermetic/VirtualGlobals.ts');
    expect(files.filter((file) => file !== 'api/kernel.ts' && !file.startsWith('sim/'))).toEqual([]);
  });

  it('the kernel-bank example uses the kernel entry and nothing else of the project', () => {
    const { files } = reach('examples/kernel-bank/kernelBank.test.ts');
    expect(files.filter((file) => !file.startsWith('examples/kernel-bank/') && !file.startsWith('sim/'))).toEqual(['api/kernel.ts']);
  });

  it('wake-sim/protocol reaches only protocol/ and imports no package: a runtime built on it depends on nothing', () => {
    const { files, packages } = reach('api/protocol.ts');
    expect(files.filter((file) => file !== 'api/protocol.ts' && !file.startsWith('protocol/'))).toEqual([]);
    expect(packages).toEqual([]);
  });

  it('the main entry never imports vitest or tsx, optional peers that only wake-sim/testing and TypeScript registrations need', () => {
    const main = reach('api/index.ts');
    expect(main.packages).toContain('xstate');
    expect(main.packages.filter((name) => name === 'vitest' || name === 'tsx')).toEqual([]);
    expect(reach('api/testing.ts').packages).toContain('vitest');
  });
});
