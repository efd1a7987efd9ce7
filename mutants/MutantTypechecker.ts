import { join } from 'node:path';
import ts from 'typescript';
import { applyMutant } from './applyMutant.ts';
import type { Mutant } from './Mutant.ts';

/**
 * Type-checks mutated sources against the project's own `tsconfig.json`, one mutant at a time, reusing the unmutated
 * program so each check costs one file, not the whole project. A mutant that does not compile is flagged, not
 * explored: `tsx` strips types and would run it anyway, and a detection of a type error is no evidence for the oracles.
 * Only the mutated file is checked: every mutant replaces code inside a function body, which cannot change the types
 * other files see.
 */
export class MutantTypechecker {
  private readonly options: ts.CompilerOptions;
  private readonly rootNames: readonly string[];
  private readonly baseProgram: ts.Program;

  constructor(private readonly projectRoot: string) {
    const configPath = join(projectRoot, 'tsconfig.json');
    const read = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
    if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, projectRoot);
    this.options = parsed.options;
    this.rootNames = parsed.fileNames;
    this.baseProgram = ts.createProgram({ rootNames: this.rootNames, options: this.options });
  }

  /** The first type or syntax error the mutant introduces in its file, or undefined when it compiles. */
  firstError(mutant: Mutant, originalSource: string): string | undefined {
    const mutatedPath = join(this.projectRoot, mutant.file);
    const mutatedSource = applyMutant(originalSource, mutant);
    const host = ts.createCompilerHost(this.options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
      fileName === mutatedPath ? ts.createSourceFile(fileName, mutatedSource, languageVersion, true) : (this.baseProgram.getSourceFile(fileName) ?? getSourceFile(fileName, languageVersion, onError, shouldCreate));
    const program = ts.createProgram({ rootNames: this.rootNames, options: this.options, host, oldProgram: this.baseProgram });
    const file = program.getSourceFile(mutatedPath);
    if (!file) return `${mutant.file} is not part of the project`;
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    const first = diagnostics[0];
    if (!first) return undefined;
    const where = first.start === undefined ? '' : `:${file.getLineAndCharacterOfPosition(first.start).line + 1}`;
    return `${mutant.file}${where}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`;
  }
}
