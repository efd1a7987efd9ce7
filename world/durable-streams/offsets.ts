/**
 * Offsets in the reference server's format: `<16 digits>_<16 digits>`, strictly increasing and ordered as strings.
 * Like the reference in-memory store, the simulated service keeps the first part (the read sequence) at 0 and counts
 * in the second the bytes of the stream's log: every message adds its stored bytes plus a 5-byte frame.
 */
export const OFFSET_PATTERN = /^(-1|now|\d{16}_\d{16})$/;

/**
 * What the reference server accepts in `offset=` (and `Stream-Fork-Offset`): any digits on either side. Offsets the
 * service mints always match {@link OFFSET_PATTERN}; this looser form only matters for what a client may send.
 */
export const PROTOCOL_OFFSET_PATTERN = /^(-1|now|\d+_\d+)$/;

/** Read from the beginning of the stream (the same as no offset). */
export const BEGINNING_OFFSET = '-1';
/** Read from the current tail: a catch-up read returns no items and the tail offset. */
export const TAIL_OFFSET = 'now';
/** The tail of a stream with nothing in it. */
export const ZERO_OFFSET = '0000000000000000_0000000000000000';

/**
 * Bytes the reference store adds around every message in its log (a 4-byte length prefix and a newline). The
 * offsets count them, so ours must too for the two to mint the same offsets.
 */
export const MESSAGE_FRAME_BYTES = 5;

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
