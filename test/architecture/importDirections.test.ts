import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rules of the layout: the kernel knows nothing of agents, the world knows nothing of a runtime, a
 * runtime reaches the world only through the protocol (HTTP and the process's globals), and the protocol depends on
 * nothing. Each entry: a top-level folder and the top-level folders its code may import from (itself always).
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  sim: [],
  protocol: [],
  world: ['sim'],
  runtimes: ['protocol'],
};

/** Every `.ts` file under `folder`. */
function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') || path.endsWith('.mjs') ? [path] : [];
  });
}

/** The top-level folders a file's relative imports reach. */
function importedFolders(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const folders: string[] = [];
  for (const match of source.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = normalize(join(dirname(file), match[1]!));
    folders.push(target.split(/[\\/]/)[0]!);
  }
  return folders;
}

/** Every import edge between top-level folders: `world -> sim`. */
function edges(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const folder of ['sim', 'protocol', 'world', 'runtimes', 'scenarios', 'properties', 'models', 'cli', 'api']) {
    for (const file of sourceFiles(folder)) {
      for (const target of importedFolders(file)) {
        if (target === folder) continue;
        if (!found.has(folder)) found.set(folder, new Set());
        found.get(folder)!.add(target);
      }
    }
  }
  return found;
}

describe('import directions between the top-level folders', () => {
  const graph = edges();

  it.each(Object.entries(MAY_IMPORT))('%s imports only from what it may', (folder, allowed) => {
    expect([...(graph.get(folder) ?? [])].filter((target) => !allowed.includes(target)).sort()).toEqual([]);
  });

  it('nothing in world/ or sim/ points into a runtime, and no runtime points into world/', () => {
    for (const folder of ['world', 'sim']) expect(graph.get(folder)?.has('runtimes') ?? false, folder).toBe(false);
    expect(graph.get('runtimes')?.has('world') ?? false).toBe(false);
  });

  it('sees the edges that exist (the scan is not blind)', () => {
    expect(graph.get('world')?.has('sim')).toBe(true);
    expect(graph.get('runtimes')?.has('protocol')).toBe(true);
    expect(graph.get('scenarios')?.has('world')).toBe(true);
  });
});
