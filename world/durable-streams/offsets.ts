/**
 * Offsets in the reference server's format: `<16 digits>_<16 digits>`, strictly increasing and ordered as strings.
 * The simulated service keeps the first part at 0 and counts bytes of stored JSON in the second.
 */
export const OFFSET_PATTERN = /^(-1|now|\d{16}_\d{16})$/;

/** Read from the beginning of the stream (the same as no offset). */
export const BEGINNING_OFFSET = '-1';
/** Read from the current tail: a catch-up read returns no items and the tail offset. */
export const TAIL_OFFSET = 'now';

const DIGITS = 16;

export function formatOffset(byteCount: number): string {
  return `${'0'.repeat(DIGITS)}_${String(byteCount).padStart(DIGITS, '0')}`;
}

/** True when concrete offset `a` lies at or before `b`; `-1` lies before everything. */
export function offsetAtOrBefore(a: string, b: string): boolean {
  if (a === BEGINNING_OFFSET) return true;
  if (b === BEGINNING_OFFSET) return false;
  return a <= b;
}
