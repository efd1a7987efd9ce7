import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { explore } from '../../scenarios/explore.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import { allConfigs } from '../coverage/measureCoverage.ts';
import type { ModelConfig } from '../modelConfig.ts';
import { CHECKED_PROPERTIES, type CheckedProperty } from './checkSlices.ts';
import { checkReachability, DEFAULT_CHECK_BOUNDS, type Reachability } from './checkReachability.ts';
import type { CheckBounds, CheckEvent } from './CheckState.ts';
import { drivePath, type DrivenPath } from './drivePath.ts';

/** A seeded search of the simulated runtime for one property under one configuration. */
export interface SearchOutcome {
  readonly runsExecuted: number;
  /** The run (1-based) that first showed the property, if one did. */
  readonly foundAtRun: number | undefined;
  readonly replay: string | undefined;
}

/**
 * What the simulated runtime showed of a violation the model reaches, in two independent ways: driven along the
 * model's path (its environment events as commands), and a seeded search under the same configuration.
 */
export interface Reproduction {
  readonly driven: DrivenPath;
  readonly search: SearchOutcome;
}

export interface PropertyVerdict extends Reachability {
  /** Undefined when the model does not reach it (nothing to reproduce) or reproduction was not asked for. */
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
  /** Simulated runs of the search for a reachable violation; 0 skips driving and searching. */
  readonly reproductionRuns: number;
  readonly seed: number;
  readonly configs?: readonly ModelConfig[];
}

/**
 * For every configuration and every violation kind: bounded reachability in the composed model (with the shortest
 * event path), then, where reachable, the simulated runtime driven along that path, and separately a seeded search
 * under that configuration for the same violation (which also gives a replay token). Unreachable means: no path within
 * the bounds in a model that is meant to allow everything the runtime does — `test/models/checkAgainstMatrix.test.ts`
 * holds it to what exploration finds.
 */
export async function modelCheck(request: ModelCheckRequest): Promise<ConfigVerdict[]> {
  const bounds = request.bounds ?? DEFAULT_CHECK_BOUNDS;
  const verdicts: ConfigVerdict[] = [];
  for (const config of request.configs ?? allConfigs()) {
    const properties = {} as Record<CheckedProperty, PropertyVerdict>;
    for (const property of CHECKED_PROPERTIES) {
      const reachability = checkReachability(config, property, request.faults, bounds);
      const reproduction = reachability.reachable && request.reproductionRuns > 0 ? await reproduce(request, config, property, reachability.path) : undefined;
      properties[property] = { ...reachability, reproduction };
    }
    verdicts.push({ config, properties });
  }
  return verdicts;
}

async function reproduce(request: ModelCheckRequest, config: ModelConfig, property: CheckedProperty, path: readonly CheckEvent[]): Promise<Reproduction> {
  const driven = await drivePath(config, property, path, request.faults);
  const report = await explore({
    spec: runSpecFor({ scenario: request.scenario, switches: { ...config }, faults: request.faults }),
    maxRuns: request.reproductionRuns,
    seed: request.seed,
    properties: [property],
    maxShrinkAttempts: 0,
  });
  const finding = report.finding;
  return { driven, search: { runsExecuted: report.runsExecuted, foundAtRun: finding ? finding.runIndex + 1 : undefined, replay: finding?.replayToken } };
}

/** One line per event of a path: `OBSERVE created=true`. */
export function describePath(path: readonly CheckEvent[]): string[] {
  return path.map((event) => {
    const details = Object.entries(event)
      .filter(([key]) => key !== 'type')
      .map(([key, value]) => `${key}=${Array.isArray(value) ? `[${value.join(',')}]` : String(value)}`)
      .join(' ');
    return details ? `${event.type} ${details}` : event.type;
  });
}
