/** Virtual time as `mm:ss.mmm` (hours prefixed when needed): short enough for a timeline column. */
export function formatVirtualTime(atMs: number): string {
  const hours = Math.floor(atMs / 3_600_000);
  const minutes = Math.floor((atMs % 3_600_000) / 60_000);
  const seconds = Math.floor((atMs % 60_000) / 1000);
  const millis = atMs % 1000;
  const base = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(millis).padStart(3, '0')}`;
  return hours > 0 ? `${hours}:${base}` : base;
}
