import type { RuntimeUnderTest } from '../../protocol/host/RuntimeUnderTest.ts';
import { v04Runtime } from '../../runtimes/v04/v04Runtime.ts';
import { v06Runtime } from '../../runtimes/v06/v06Runtime.ts';
import { RegistryError } from './RegistryError.ts';

const runtimes = new Map<string, RuntimeUnderTest>();

/** The runtime a run uses when none is named. */
export const DEFAULT_RUNTIME = v04Runtime.name;

/**
 * Makes a runtime available to `explore`, `matrix`, `replay` and the testing helpers by its name. Registering the
 * same object again is a no-op; another runtime under a taken name is refused.
 */
export function registerRuntime(runtime: RuntimeUnderTest): void {
  const known = runtimes.get(runtime.name);
  if (known && known !== runtime) throw new RegistryError(`a runtime named "${runtime.name}" is already registered`);
  runtimes.set(runtime.name, runtime);
}

/** The registered runtime of that name. */
export function getRuntime(name: string): RuntimeUnderTest {
  const runtime = runtimes.get(name);
  if (!runtime) throw new RegistryError(`unknown runtime "${name}" (known: ${[...runtimes.keys()].join(', ')}; one of your own is known once its registration module is loaded: --config-module FILE, or a wake-sim.config.* in the working folder)`);
  return runtime;
}

/** Every registered runtime, in registration order. */
export function registeredRuntimes(): readonly RuntimeUnderTest[] {
  return [...runtimes.values()];
}

registerRuntime(v04Runtime);
registerRuntime(v06Runtime);
