import type { ModelConfig } from '../modelConfig.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { explore } from '../../scenarios/explore.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import { allConfigs } from '../coverage/measureCoverage.ts';
import type { ModelEvent } from '../modelEvents.ts';
import { CHECKED_PROPERTIES, type CheckedProperty } from './candidateEvents.ts';
import { checkReachability, DEFAULT_CHECK_BOUNDS, type Reachability } from './checkReachability.ts';
import { drivePath, type DrivenPath } from './drivePath.ts';
import type { CheckBounds } from './CheckState.ts';

/** Which switches each property's part of the model reads: configurations that agree on them share one traversal. */
const SWITCHES_READ: Readonly<Record<CheckedProperty, ReadonlyArray<keyof ModelConfig>>> = {
  'unwired-resolve': ['wiring'],
  'duplicate-action': ['wiring', 'idempotency'],
  'wake-replay': ['offset'],
  'missed-action': ['wiring', 'idempotency'],
  hang: ['wiring', 'idempotency'],
};

/** Whether the simulated runtime showed the violation the model says is reachable. */
export interface Reproduction {
  /** Driven along the model's path, or found by the search. */
  readonly reproduced: boolean;
  /** The runtime driven along the path's environment events (see {@link drivePath}). */
  readonly driven: DrivenPath;
  /** A seeded search under the same configuration for the same property: runs taken and the finding's token. */
  readonly runsExecuted: number;
  readonly replay: string | undefined;
}

export interface PropertyVerdict extends Reachability {
  /** Undefined when the model says unreachable (nothing to reproduce) or reproduction was not asked for. */
  readonly reproduction: Reproduction | undefined;
}

export interface ConfigVerdict {
  readonly config: ModelConfig;
  readonly properties: Readonly<Record<CheckedProperty, PropertyVerdict>>;
}

export interface ModelCheckRequest {
  readonly scenario: string;
  readonly faults: readonly FaultKind[];
  readonly bounds?: CheckBounds;
  /** Simulated runs to try when reproducing a reachable violation; 0 skips reproduction. */
  readonly reproductionRuns: number;
  readonly seed: number;
  readonly configs?: readonly ModelConfig[];
}

/**
 * For every configuration and every violation kind: bounded reachability in the composed model (with the shortest
 * event path), then, where reachable, the simulated runtime driven along that path, and a seeded search under that
 * configuration for the same violation (which also gives a replay token).
 */
export async function modelCheck(request: ModelCheckRequest): Promise<ConfigVerdict[]> {
  const bounds = request.bounds ?? DEFAULT_CHECK_BOUNDS;
  const traversals = new Map<string, Reachability>();
  const verdicts: ConfigVerdict[] = [];
  for (const config of request.configs ?? allConfigs()) {
    const properties = {} as Record<CheckedProperty, PropertyVerdict>;
    for (const property of CHECKED_PROPERTIES) {
      const key = `${property}:${SWITCHES_READ[property].map((name) => config[name]).join('/')}`;
      let reachability = traversals.get(key);
      if (!reachability) {
        reachability = checkReachability(config, property, request.faults, bounds);
        traversals.set(key, reachability);
      }
      properties[property] = { ...reachability, reproduction: reachability.reachable ? await reproduce(request, config, property, reachability.path) : undefined };
    }
    verdicts.push({ config, properties });
  }
  return verdicts;
}

async function reproduce(
  request: ModelCheckRequest,
  config: ModelConfig,
  property: CheckedProperty,
  path: readonly ModelEvent[],
): Promise<Reproduction | undefined> {
  if (request.reproductionRuns === 0) return undefined;
  const driven = await drivePath(config, property, path);
  const report = await explore({
    spec: runSpecFor({ scenario: request.scenario, switches: { ...config }, faults: request.faults }),
    maxRuns: request.reproductionRuns,
    seed: request.seed,
    properties: [property],
    maxShrinkAttempts: 0,
  });
  return { reproduced: driven.reproduced || report.finding !== undefined, driven, runsExecuted: report.runsExecuted, replay: report.finding?.replayToken };
}

/** One line per event of a path: `OBSERVE created=true`. */
export function describePath(path: readonly ModelEvent[]): string[] {
  return path.map((event) => {
    const details = Object.entries(event)
      .filter(([key]) => key !== 'type')
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(' ');
    return details ? `${event.type} ${details}` : event.type;
  });
}
