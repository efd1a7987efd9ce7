/** The agents server's route a request's path names, with the runner it is about. */
export function agentsRouteOf(path: string): { readonly route: 'heartbeat' | 'claim' | 'register'; readonly runner: string | undefined } | undefined {
  if (path === '/_electric/runners') return { route: 'register', runner: undefined };
  const match = /^\/_electric\/runners\/([^/]+)\/(heartbeat|claim)$/.exec(path);
  return match ? { route: match[2] as 'heartbeat' | 'claim', runner: decodeURIComponent(match[1]!) } : undefined;
}

/** The wake a request's path names on the agents server (its done or its renewal), or undefined for any other path. */
export function wakeRouteOf(path: string): { readonly route: 'done' | 'renew'; readonly wakeId: string } | undefined {
  const match = /^\/_electric\/wakes\/([^/]+)\/(done|renew)$/.exec(path);
  return match ? { route: match[2] as 'done' | 'renew', wakeId: decodeURIComponent(match[1]!) } : undefined;
}
