import type { TraceValue } from '../../sim/trace/Trace.ts';
import { HttpError } from '../network/HttpError.ts';

/**
 * Reads the body of an append to a JSON stream the way the reference server does: one level of array is flattened
 * (the client wraps every append in `[...]`, so `[a, b]` is two values and `[[a, b]]` is one value, an array), a
 * bare value is one value, and an empty array is refused except when it is the initial body of a create, where it
 * creates an empty stream.
 *
 * @throws HttpError 400 `Invalid JSON` or `Empty arrays are not allowed`, with the reference server's body text.
 */
export function parseJsonAppend(body: Uint8Array, isInitialCreate: boolean): TraceValue[] {
  // TextDecoder (not Buffer) because it is what the reference uses: it replaces invalid UTF-8 and drops a BOM.
  const text = new TextDecoder().decode(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'Invalid JSON');
  }
  if (!Array.isArray(parsed)) return [parsed as TraceValue];
  if (parsed.length === 0 && !isInitialCreate) throw new HttpError(400, 'EMPTY_ARRAY', 'Empty arrays are not allowed');
  return parsed as TraceValue[];
}

/**
 * Bytes one JSON message occupies in the reference store: its values serialized, each followed by a comma. Counted
 * in UTF-8, as the store counts, so offsets after non-ASCII text agree too.
 */
export function storedJsonByteLength(values: readonly TraceValue[]): number {
  let bytes = 0;
  for (const value of values) bytes += Buffer.byteLength(JSON.stringify(value), 'utf8') + 1;
  return bytes;
}
