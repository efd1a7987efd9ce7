import { existsSync, statSync } from 'node:fs';
import { normaliseReplayToken, readReplayToken, type ReplayRequest } from '../scenarios/replayTokens.ts';
import { ReplayTokenError } from '../sim/replay/replayToken.ts';
import { looksLikeTraceFilePath, readTraceFile } from './traceFiles.ts';
import { UsageError } from './UsageError.ts';

/** What `replay` was given, read and checked: the token to run and, for a trace file, the hash it recorded. */
export interface ReplayArgument {
  /** The token without whitespace: what the report prints and what replays. */
  readonly token: string;
  readonly request: ReplayRequest;
  /** For a trace file: the trace hash the file recorded, to compare the re-run with. */
  readonly recordedTraceHash: string | undefined;
}

/** How every token starts (`ws<version>.`): the way to tell a token from a path before reading either. */
const TOKEN_START = /^ws\d+\./;

/**
 * Reads `replay`'s positional arguments as a token or a trace file path; every problem is a one-line
 * {@link UsageError}. Tokens never contain whitespace, so a token wrapped over several lines (one quoted argument)
 * or split by the shell at spaces (several arguments) is joined back together before it is decoded.
 */
export function readReplayArgument(positionals: readonly string[]): ReplayArgument {
  if (positionals.length === 0) throw new UsageError('replay: expected a token or a trace file (see --help)');
  const joined = normaliseReplayToken(positionals.join(''));
  if (joined === '') throw new UsageError('replay: the token or trace file argument is empty');
  const single = positionals.length === 1 ? positionals[0]! : undefined;
  if (TOKEN_START.test(joined) && !(single !== undefined && existsSync(single))) {
    try {
      return { token: joined, request: readReplayToken(joined), recordedTraceHash: undefined };
    } catch (error) {
      if (!(error instanceof ReplayTokenError)) throw error;
      if (single !== undefined) throw new UsageError(error.message);
      throw new UsageError(`replay: expected one token or trace file, got ${positionals.length} arguments that do not join into a token (${error.message})`);
    }
  }
  if (single === undefined) throw new UsageError(`replay: expected one token or trace file, got ${positionals.length} arguments`);
  if (existsSync(single) && statSync(single).isDirectory()) throw new UsageError(`replay: ${single} is a directory, not a trace file`);
  if (!existsSync(single) && !looksLikeTraceFilePath(single)) {
    throw new UsageError(`replay: "${shorten(single)}" is neither a replay token (ws2.<data>.<checksum>) nor a trace file (no file of that name)`);
  }
  try {
    const file = readTraceFile(single);
    const token = normaliseReplayToken(file.token);
    return { token, request: readReplayToken(token), recordedTraceHash: file.traceHash };
  } catch (error) {
    if (error instanceof ReplayTokenError) throw new UsageError(error.message);
    throw error;
  }
}

/** An argument as the message quotes it: long pastes are cut, so the error stays one line. */
function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= 60 ? oneLine : `${oneLine.slice(0, 57)}...`;
}
