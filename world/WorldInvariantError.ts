/**
 * Thrown by a simulated service whose own invariant broke (a cron tick appended twice, a generation that went back, a
 * lease without an expiry, ...). The world is then broken, which is never a finding about the runtime under test: the
 * error ends the run loudly (a service that throws fails its run, see world/network/Network.ts; a scheduler task that
 * throws ends the loop), so no run completes as if fine on a world that misbehaved.
 */
export class WorldInvariantError extends Error {
  override name = 'WorldInvariantError';
}

/**
 * Asserts one invariant of a simulated service: throws a {@link WorldInvariantError} naming the service and what
 * broke when `holds` is false.
 */
export function worldInvariant(holds: boolean, service: string, what: () => string): asserts holds {
  if (!holds) throw new WorldInvariantError(`world invariant broken in ${service}: ${what()}`);
}
