import { RecordedChoiceSource } from '../sim/choice/RecordedChoiceSource.ts';
import { decodeReplayToken, encodeReplayToken, ReplayTokenError } from '../sim/replay/replayToken.ts';
import { propertyNames, type PropertyName } from '../properties/index.ts';
import { FaultListError, parseFaultList } from '../world/faults/FaultKind.ts';
import { CURRENT_FAULT_MOMENT_REVISION, FIRST_FAULT_MOMENT_REVISION, isKnownFaultMomentRevision, KNOWN_FAULT_MOMENT_REVISIONS } from '../world/faults/FaultPointOptions.ts';
import { runSpecFor } from './config/runSpecFor.ts';
import { ConfigError } from './config/SwitchValues.ts';
import { ScenarioError, type RunSpec } from './index.ts';
import { RegistryError } from './registry/RegistryError.ts';
import { runScenario, type RunResult } from './runScenario.ts';

/** A decoded token: what to run, the answers to feed, and the property the run was shrunk to violate. */
export interface ReplayRequest {
  readonly spec: RunSpec;
  readonly choices: readonly number[];
  readonly property: PropertyName | undefined;
}

/** The token that replays `choices` under `spec`. */
export function replayTokenFor(spec: RunSpec, choices: readonly number[], property?: PropertyName): string {
  return encodeReplayToken({
    spec: {
      scenario: spec.scenario,
      runtime: spec.runtime,
      config: { ...spec.config },
      faults: [...spec.faults],
      faultMoments: spec.faultMomentRevision ?? CURRENT_FAULT_MOMENT_REVISION,
      ...(property ? { property } : {}),
    },
    choices,
  });
}

/**
 * A token as pasted, without whitespace: tokens contain none, so line breaks and spaces that wrapping or a terminal
 * put into one are dropped.
 */
export function normaliseReplayToken(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * Decodes and validates a token (whitespace in it ignored, see {@link normaliseReplayToken}); every problem is a
 * {@link ReplayTokenError} with a one-line message.
 */
export function readReplayToken(token: string): ReplayRequest {
  const { spec, choices } = decodeReplayToken(normaliseReplayToken(token));
  if (typeof spec !== 'object' || spec === null) throw new ReplayTokenError('malformed replay token: no run description');
  const raw = spec as { scenario?: unknown; runtime?: unknown; config?: Record<string, unknown>; faults?: unknown; faultMoments?: unknown; property?: unknown };
  try {
    if (typeof raw.scenario !== 'string' || typeof raw.runtime !== 'string' || typeof raw.config !== 'object' || raw.config === null || !Array.isArray(raw.faults)) {
      throw new ReplayTokenError('malformed replay token: incomplete run description');
    }
    const switches = Object.fromEntries(Object.entries(raw.config).map(([name, value]) => [name, String(value)]));
    const faults = parseFaultList(raw.faults.map(String).join(',') || 'none');
    // A token from before fault-moment revisions carries none: it was explored under the first.
    const faultMomentRevision = raw.faultMoments === undefined ? FIRST_FAULT_MOMENT_REVISION : raw.faultMoments;
    if (!isKnownFaultMomentRevision(faultMomentRevision)) {
      throw new ReplayTokenError(`replay token describes a run this build cannot set up: fault-moment revision ${String(faultMomentRevision)} is unknown (known: ${KNOWN_FAULT_MOMENT_REVISIONS})`);
    }
    const resolved = { ...runSpecFor({ scenario: raw.scenario, runtime: raw.runtime, switches, faults }), faultMomentRevision };
    const property = raw.property === undefined ? undefined : String(raw.property);
    if (property !== undefined && !(propertyNames() as readonly string[]).includes(property)) {
      throw new ReplayTokenError(`malformed replay token: unknown property "${property}"`);
    }
    return { spec: resolved, choices, property: property as PropertyName | undefined };
  } catch (error) {
    if (error instanceof ConfigError || error instanceof FaultListError || error instanceof ScenarioError || error instanceof RegistryError) {
      throw new ReplayTokenError(`replay token describes a run this build cannot set up: ${error.message}`);
    }
    throw error;
  }
}

/** Re-runs a decoded token exactly. */
export function replay(request: ReplayRequest): Promise<RunResult> {
  return runScenario(request.spec, new RecordedChoiceSource(request.choices));
}
