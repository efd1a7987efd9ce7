import { createHash } from 'node:crypto';

/** The version of the token format this build writes and reads. */
export const TOKEN_FORMAT_VERSION = 2;
const TOKEN_PREFIX = 'ws';
const CHECKSUM_LENGTH = 8;

/** What a replay token carries: the run's identity (scenario, switches, ...) and every answer it received. */
export interface ReplayPayload {
  /** Plain JSON describing the run family; validated by whoever replays it. */
  readonly spec: unknown;
  readonly choices: readonly number[];
}

/** A token that cannot be read; the message is a complete one-line explanation. */
export class ReplayTokenError extends Error {
  override name = 'ReplayTokenError';
}

/**
 * Encodes a run as one copy-pasteable string: `ws<version>.<base64url JSON>.<checksum>`. Choices are packed as
 * LEB128 varints, so a story of a few hundred answers stays a few hundred characters.
 */
export function encodeReplayToken(payload: ReplayPayload): string {
  const body = Buffer.from(JSON.stringify({ spec: payload.spec, choices: packVarints(payload.choices) })).toString('base64url');
  return `${TOKEN_PREFIX}${TOKEN_FORMAT_VERSION}.${body}.${checksum(body)}`;
}

/** Decodes a token, refusing other format versions and anything garbled with a one-line reason. */
export function decodeReplayToken(token: string): ReplayPayload {
  const parts = token.trim().split('.');
  const versionMatch = /^ws(\d+)$/.exec(parts[0] ?? '');
  if (parts.length !== 3 || !versionMatch) {
    throw new ReplayTokenError('malformed replay token: expected ws<version>.<data>.<checksum>');
  }
  const version = Number(versionMatch[1]);
  if (version !== TOKEN_FORMAT_VERSION) {
    throw new ReplayTokenError(
      `replay token format version ${version} is not supported by this build (it reads version ${TOKEN_FORMAT_VERSION}); replay it with the version that wrote it`,
    );
  }
  const body = parts[1]!;
  if (checksum(body) !== parts[2]) throw new ReplayTokenError('malformed replay token: checksum mismatch (was it cut or edited?)');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new ReplayTokenError('malformed replay token: the data is not valid JSON');
  }
  if (typeof decoded !== 'object' || decoded === null || !('spec' in decoded) || !('choices' in decoded) || typeof decoded.choices !== 'string') {
    throw new ReplayTokenError('malformed replay token: missing spec or choices');
  }
  return { spec: decoded.spec, choices: unpackVarints(decoded.choices) };
}

function checksum(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, CHECKSUM_LENGTH);
}

function packVarints(values: readonly number[]): string {
  const bytes: number[] = [];
  for (const value of values) {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`choice ${value} is not a natural number`);
    let rest = value;
    while (rest >= 0x80) {
      bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    bytes.push(rest);
  }
  return Buffer.from(bytes).toString('base64url');
}

function unpackVarints(text: string): number[] {
  const bytes = Buffer.from(text, 'base64url');
  const values: number[] = [];
  let value = 0;
  let scale = 1;
  for (const byte of bytes) {
    value += (byte & 0x7f) * scale;
    if (byte & 0x80) {
      scale *= 0x80;
      if (scale > 2 ** 49) throw new ReplayTokenError('malformed replay token: a choice is out of range');
    } else {
      values.push(value);
      value = 0;
      scale = 1;
    }
  }
  if (scale !== 1) throw new ReplayTokenError('malformed replay token: choices end mid-value');
  return values;
}
