/** The media type a stream gets when its creator names none, or one the server cannot read. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** JSON streams: appends are JSON values (arrays are flattened one level), reads answer one JSON array. */
export const JSON_CONTENT_TYPE = 'application/json';

/**
 * The media type without parameters, lower-cased: what the reference server compares when it checks that an append
 * or a second create matches a stream (`application/json; charset=utf-8` is `application/json`).
 */
export function normalizeContentType(contentType: string | undefined): string {
  if (!contentType) return '';
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** True when the stream stores JSON messages (the reference decides this on the normalized type). */
export function isJsonContentType(contentType: string | undefined): boolean {
  return normalizeContentType(contentType) === JSON_CONTENT_TYPE;
}
