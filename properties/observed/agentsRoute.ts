/** The agents server's route a request's path names, with the runner it is about. */
export function agentsRouteOf(path: string): { readonly route: 'heartbeat' | 'claim' | 'register'; readonly runner: string | undefined } | undefined {
  if (path === '/_electric/runners') return { route: 'register', runner: undefined };
  const match = /^\/_electric\/runners\/([^/]+)\/(heartbeat|claim)$/.exec(path);
  return match ? { route: match[2] as 'heartbeat' | 'claim', runner: decodeURIComponent(match[1]!) } : undefined;
}
