/**
 * The seed of run `runIndex` of a sweep started with `baseSeed`: a 32-bit mix (SplitMix32 finaliser) of both, so
 * neighbouring runs get unrelated streams and any run can be re-created from the pair alone.
 */
export function runSeed(baseSeed: number, runIndex: number): number {
  let z = (Math.imul(baseSeed | 0, 0x9e3779b9) + Math.imul(runIndex + 1, 0x85ebca6b)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
