/**
 * Where registration takes the resume offset it hands a starting runner (semantics.md §4, runner offset):
 * `none`: no offset, as 0.4.x and up to the newest version do; `reported`: the offset the runner last reported on a
 * heartbeat; `acked-seek`: the end of the longest prefix of the runner's wake stream whose wakes are all settled;
 * `claimed-seek` (hardening): the end of the longest prefix whose wakes were all claimed — a wake a holder still
 * works on needs no other reader, and should its lease expire with work left, the service issues a new wake event.
 */
export const RESUME_OFFSET_SOURCES = ['none', 'reported', 'acked-seek', 'claimed-seek'] as const;

export type ResumeOffsetSource = (typeof RESUME_OFFSET_SOURCES)[number];
