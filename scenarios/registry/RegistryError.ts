/** Thrown for an unknown or clashing registration name; the message is a complete one-line explanation. */
export class RegistryError extends Error {
  override name = 'RegistryError';
}
