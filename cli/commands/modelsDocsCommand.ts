import { EXIT } from '../UsageError.ts';

/** `models docs`: placeholder until the generator lands. */
export async function modelsDocsCommand(_args: readonly string[], out: (line: string) => void): Promise<number> {
  out('models docs: not implemented yet');
  return EXIT.clean;
}
