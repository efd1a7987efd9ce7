import type { StoryMark } from './storyMarks.ts';
import type { ArrowStyle, SequenceItem, SequenceStory } from './sequenceStory.ts';

const ARROWS: Record<ArrowStyle, string> = { call: '->>', reply: '-->>', async: '-)', fail: '--x' };

/** Background of the steps that lead to a violation, and of the event that shows it. */
const CAUSE_FILL = 'rgb(255, 243, 196)';
const VIOLATION_FILL = 'rgb(255, 221, 221)';

/**
 * The story as a Mermaid `sequenceDiagram`: one participant per lifeline, one line per message or note, the causal
 * steps and the violating event on a coloured background with their labels in brackets, and a `Note over` for each
 * violation.
 */
export function formatMermaidSequence(story: SequenceStory, title?: string): string {
  const lines = ['sequenceDiagram'];
  if (title) lines.push(`  title ${mermaidText(title)}`);
  for (const participant of story.participants) {
    lines.push(participant.label === participant.id ? `  participant ${participant.id}` : `  participant ${participant.id} as ${mermaidText(participant.label)}`);
  }
  for (const item of story.items) {
    if (item.kind === 'violation') {
      lines.push(`  Note over ${item.over.join(',')}: ⚠ ${mermaidText(`${item.property}: ${item.text}`)}`);
      continue;
    }
    const line = `${itemLine(item)}${markSuffix(item.marks)}`;
    if (item.marks.length === 0) {
      lines.push(`  ${line}`);
      continue;
    }
    const fill = item.marks.some((mark) => mark.kind === 'violation') ? VIOLATION_FILL : CAUSE_FILL;
    lines.push(`  rect ${fill}`, `    ${line}`, '  end');
  }
  return `${lines.join('\n')}\n`;
}

/** Longest text of one message or note before it is cut with `…`: Mermaid draws a message on one line. */
const MAX_MESSAGE_CHARS = 64;

function itemLine(item: Exclude<SequenceItem, { kind: 'violation' }>): string {
  if (item.kind === 'note') return `Note over ${item.over.join(',')}: ${mermaidText(clip(item.text))}`;
  return `${item.from}${ARROWS[item.style]}${item.to}: ${mermaidText(clip(item.text))}`;
}

function clip(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}

function markSuffix(marks: readonly StoryMark[]): string {
  const causes = marks.filter((mark) => mark.kind === 'cause').map((mark) => mark.label);
  return causes.length > 0 ? ` [${mermaidText(causes.join(', '))}]` : '';
}

/**
 * Text Mermaid reads literally: `host#2` is written as the participant id `host2`, and the characters its grammar
 * treats specially (`#` starts a comment, `;` ends a statement, angle brackets read as HTML) become entity codes.
 */
export function mermaidText(text: string): string {
  return text
    .replace(/host#(\d+)/g, 'host$1')
    .replace(/[#;<>]/g, (character) => `#${character.charCodeAt(0)};`)
    .replace(/[\r\n]+/g, ' ');
}
