/**
 * Whether a stream path matches a subscription's glob pattern, with the reference server's rules: paths are compared
 * segment by segment (leading, trailing and doubled slashes do not count), `*` is exactly one segment, `**` is any
 * number of segments including none, and `%2A` in a literal segment stands for a literal `*`.
 */
export function globMatch(pattern: string, path: string): boolean {
  return matchFrom(segments(pattern), 0, segments(path), 0);
}

function segments(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function matchFrom(pattern: readonly string[], p: number, path: readonly string[], s: number): boolean {
  while (p < pattern.length && s < path.length) {
    const segment = pattern[p]!;
    if (segment === '**') {
      // Try every split: `**` takes none, one, ... or all of the remaining segments.
      for (let rest = s; rest <= path.length; rest += 1) if (matchFrom(pattern, p + 1, path, rest)) return true;
      return false;
    }
    if (segment !== '*' && segment.replace(/%2a/gi, '*') !== path[s]) return false;
    p += 1;
    s += 1;
  }
  // The path is used up: only `**` segments may remain, each matching nothing.
  while (p < pattern.length && pattern[p] === '**') p += 1;
  return p === pattern.length && s === path.length;
}
