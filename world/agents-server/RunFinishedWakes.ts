/** One `runFinished` wake registration: `parent` is woken when a run of `child` finishes. */
export interface RunFinishedRegistration {
  readonly parent: string;
  readonly child: string;
  /** The manifest child key the registration was made under; undefined when its maker gave none (B11's spawn). */
  readonly manifestKey: string | undefined;
  /** Who registered it: the spawn route or the manifest side. */
  readonly by: 'spawn' | 'manifest';
}

/**
 * The agents server's registry of `runFinished` wakes (upstream's WakeRegistry, for this one kind of wake): who is to be
 * woken when an observed child's run finishes. A registration is deduplicated by its manifest key only, as upstream:
 * two registrations of the same parent and child without the same key are two wakes per finished run (B11).
 * Kept in the server's database: it survives a restart.
 */
export class RunFinishedWakes {
  private readonly registrations: RunFinishedRegistration[] = [];

  /** Adds `registration` unless one of the same parent with its manifest key exists; true if it was added. */
  register(registration: RunFinishedRegistration): boolean {
    const { manifestKey, parent } = registration;
    if (manifestKey !== undefined && this.registrations.some((known) => known.parent === parent && known.manifestKey === manifestKey)) return false;
    this.registrations.push(registration);
    return true;
  }

  /** The registrations that wake someone when a run of `child` finishes, in registration order. */
  watching(child: string): readonly RunFinishedRegistration[] {
    return this.registrations.filter((registration) => registration.child === child);
  }
}

/** The manifest key of an observed child entity, as the parent's manifest lists it (`manifestChildKey(type, id)`). */
export function manifestChildKey(type: string, id: string): string {
  return `${type}:${id}`;
}
