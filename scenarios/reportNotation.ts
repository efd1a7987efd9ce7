/**
 * How every report (text, HTML, Mermaid, test failures) writes offsets and virtual times, so one story reads the same
 * in every view. Traces, tokens and JSON keep the values as they were recorded.
 */

/**
 * A Durable Streams offset as `<segment>_<position>` without zero padding: `0000000000000000_0000000000000111` reads
 * `0_111`; `-1` and `now` stay as they are.
 */
export function shortOffset(offset: string): string {
  const match = /^(\d+)_(\d+)$/.exec(offset);
  if (!match) return offset;
  const trim = (digits: string): string => digits.replace(/^0+(?=\d)/, '');
  return `${trim(match[1]!)}_${trim(match[2]!)}`;
}

/**
 * Virtual time since the run began, `+m:ss.mmm` (`+h:mm:ss.mmm` from an hour on): the `+` says it is an offset from
 * the start of the run, not a clock time.
 */
export function formatVirtualTime(atMs: number): string {
  const hours = Math.floor(atMs / 3_600_000);
  const minutes = Math.floor((atMs % 3_600_000) / 60_000);
  const seconds = Math.floor((atMs % 60_000) / 1000);
  const millis = atMs % 1000;
  const tail = `${String(seconds).padStart(2, '0')}.${String(millis).padStart(3, '0')}`;
  return hours > 0 ? `+${hours}:${String(minutes).padStart(2, '0')}:${tail}` : `+${minutes}:${tail}`;
}

/**
 * A text written for people (a violation message, say) in report notation: every zero-padded offset short, every
 * point in virtual time (`at 360000 ms`) as {@link formatVirtualTime} writes it. Durations (`for 5000 ms`) stay.
 */
export function reportText(text: string): string {
  return text
    .replace(/\b\d{2,}_\d{2,}\b/g, (offset) => shortOffset(offset))
    .replace(/\bat (\d+) ms\b/g, (_, ms: string) => `at ${formatVirtualTime(Number(ms))}`);
}
