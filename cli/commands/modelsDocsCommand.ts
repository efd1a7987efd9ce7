import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_DOCS_DIR, DOCS_COMMAND, modelDocs } from '../../models/docs/machineDocs.ts';
import { parseCommandArgs } from '../options.ts';
import { ensureWritableDir } from '../outputPaths.ts';
import { EXIT, UsageError } from '../UsageError.ts';
import { configModuleHelpLine } from '../configModule.ts';
import { SIM_COMMAND } from '../../scenarios/simCommand.ts';

export const MODELS_DOCS_HELP = `Usage: ${SIM_COMMAND} models docs [--check] [--out DIR]

Writes a page per machine of the composed model (models/): a Mermaid statechart generated from the machine and a
legend of what each state means in the real system, plus README.md, the index. The pages are committed; CI fails
when they differ from what this command generates.

Options:
  --check      write nothing: compare the generated pages with the files in DIR and print each one that is stale
               or missing
  --out DIR    directory of the pages (default: ${DEFAULT_DOCS_DIR})
${configModuleHelpLine(15)}
  -h, --help   show this help

Exit status: 0 written (with --check: every page up to date), 1 with --check: a page is stale or missing, 2 bad input.`;

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** `models docs`: write docs/models/*.md, or with `--check` report the ones that differ from what it would write. */
export async function modelsDocsCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(
    'models docs',
    args,
    { check: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    false,
  );
  if (values['help']) {
    out(MODELS_DOCS_HELP);
    return EXIT.clean;
  }
  const dir = values['out'] === undefined ? DEFAULT_DOCS_DIR : String(values['out']);
  if (dir.trim() === '') throw new UsageError('models docs: --out needs a directory (see --help)');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`models docs: --out ${dir} is a file, not a directory`);
  // Written only after every page is generated; whether the directory takes them is known before.
  if (!values['check']) ensureWritableDir(dir, '--out');
  const docs = modelDocs();

  if (values['check']) {
    let stale = 0;
    for (const doc of docs) {
      const path = join(dir, doc.file);
      const current = await readIfPresent(path);
      if (current === doc.text) continue;
      stale += 1;
      out(`${current === undefined ? 'missing' : 'stale'}: ${path}`);
    }
    if (stale === 0) {
      out(`up to date: ${docs.length} files in ${dir}`);
      return EXIT.clean;
    }
    out(`${stale} of ${docs.length} files differ from what the models generate; run \`${DOCS_COMMAND}${dir === DEFAULT_DOCS_DIR ? '' : ` --out ${dir}`}\``);
    return EXIT.violation;
  }

  for (const doc of docs) {
    const path = join(dir, doc.file);
    await writeFile(path, doc.text, 'utf8');
    out(`wrote ${path}`);
  }
  return EXIT.clean;
}
