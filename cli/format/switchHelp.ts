import type { SwitchDefinition } from '../../protocol/switches/SwitchDefinition.ts';
import { registeredScenarios } from '../../scenarios/index.ts';
import { registeredRuntimes } from '../../scenarios/registry/runtimes.ts';
import { WORLD_SWITCHES } from '../../scenarios/config/worldSwitches.ts';

/** Help column where a switch's description starts, as in the static option lists. */
const DESCRIPTION_COLUMN = 23;

/** `  --done-release V     token-gated | independent (default independent): summary`, one line per switch. */
function switchLines(definitions: readonly SwitchDefinition[]): string[] {
  return definitions.flatMap((definition) => {
    const option = `  --${definition.name} V`;
    const text = `${definition.values.join(' | ')} (default ${definition.defaultValue}): ${definition.summary}`;
    return wrapped(`${option.padEnd(DESCRIPTION_COLUMN - 1)} `, text);
  });
}

/** Widest help line, as the static option lists are wrapped. */
const HELP_WIDTH = 118;

/** `text` after `lead`, wrapped at word boundaries to {@link HELP_WIDTH}, continuation lines under the description column. */
function wrapped(lead: string, text: string): string[] {
  const lines: string[] = [];
  let line = lead;
  let first = true;
  for (const word of text.split(' ')) {
    if (!first && line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = `${' '.repeat(DESCRIPTION_COLUMN)}${word}`;
    } else line = first ? `${line}${word}` : `${line} ${word}`;
    first = false;
  }
  lines.push(line);
  return lines;
}

/**
 * The switches `--help` lists from the registries rather than by hand, so a switch that is registered (a world
 * switch, one of a runtime's, such as a historical entry's defect value, or one of a scenario's, such as
 * `--entities`) is listed as soon as it exists. A scenario switch the static `help` already documents is not repeated.
 */
export function registeredSwitchHelp(help = ''): string {
  const lines = ['', 'Switches of the simulated servers (any runtime):', ...switchLines(WORLD_SWITCHES)];
  for (const runtime of registeredRuntimes()) {
    lines.push('', `Switches of the runtime ${runtime.name} (--runtime ${runtime.name}):`, ...switchLines(runtime.switches));
  }
  for (const scenario of registeredScenarios()) {
    const undocumented = (scenario.switches ?? []).filter((definition) => !help.includes(`--${definition.name} `));
    if (undocumented.length > 0) lines.push('', `Switches of the scenario ${scenario.name} (--scenario ${scenario.name}):`, ...switchLines(undocumented));
  }
  return lines.join('\n');
}

/** `help` with the registered switches listed before its exit-status paragraph (at its end when it has none). */
export function withRegisteredSwitches(help: string): string {
  const at = help.indexOf('\n\nExit status');
  const switches = registeredSwitchHelp(help);
  return at < 0 ? `${help}${switches}` : `${help.slice(0, at)}${switches}${help.slice(at)}`;
}
