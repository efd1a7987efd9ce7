import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMutant } from './applyMutant.ts';
import type { Mutant } from './Mutant.ts';

/** Top-level entries never copied: dependencies are linked, not copied; git data and build output are not needed. */
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'coverage', 'reports', '.stryker-tmp']);

/**
 * A private copy of the project in a temporary folder, where one mutant at a time is planted and taken out again.
 * The project tree is never written to, so a crashed run cannot leave a mutant behind in the real source; several
 * workspaces let mutants run side by side. `node_modules` is a symlink to the project's own (resolved), so nothing is
 * installed.
 */
export class MutantWorkspace {
  readonly root: string;
  private planted: { readonly file: string; readonly original: string } | undefined;

  private constructor(root: string) {
    this.root = root;
  }

  /** Copies `projectRoot` into a new temporary folder. */
  static create(projectRoot: string): MutantWorkspace {
    const root = mkdtempSync(join(tmpdir(), 'wake-sim-mutant-'));
    cpSync(projectRoot, root, { recursive: true, filter: (source) => !NOT_COPIED.has(source.slice(projectRoot.length + 1)) });
    symlinkSync(realpathSync(join(projectRoot, 'node_modules')), join(root, 'node_modules'), 'dir');
    return new MutantWorkspace(root);
  }

  /** Plants `mutant` (taking out the one planted before); throws `MutantNotApplicable` when its search text is stale. */
  plant(mutant: Mutant): void {
    this.restore();
    const path = join(this.root, mutant.file);
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, applyMutant(original, mutant));
    this.planted = { file: path, original };
  }

  /** Takes the planted mutant out: the workspace is the unmutated tree again. */
  restore(): void {
    if (!this.planted) return;
    writeFileSync(this.planted.file, this.planted.original);
    this.planted = undefined;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
