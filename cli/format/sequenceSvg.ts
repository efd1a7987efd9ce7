import type { StoryMark } from './storyMarks.ts';
import type { ArrowStyle, SequenceStory } from './sequenceStory.ts';
import { wrap } from './timeline.ts';
import { formatVirtualTime } from '../../scenarios/reportNotation.ts';

/** Layout of the drawing, in pixels (a monospace font keeps text widths predictable). */
const LAYOUT = {
  fontSizePx: 11,
  charWidthPx: 6.7,
  timeGutterPx: 104,
  rightMarginPx: 12,
  headerHeightPx: 40,
  headerGapPx: 18,
  rowHeightPx: 30,
  /** Extra height of a row for each further line of a wrapped text. */
  lineHeightPx: 13,
  /** From a message's arrow down to the first line of its mark label. */
  labelBelowArrowPx: 14,
  violationRowHeightPx: 34,
  minGapPx: 130,
  maxGapPx: 260,
  textPaddingPx: 16,
  bottomMarginPx: 24,
} as const;

const FILL = { cause: '#fff3c4', violation: '#ffdede', violationNote: '#ffb3b3', note: '#eef3fb', header: '#dde6f5' } as const;

/**
 * Draws the story as an SVG sequence diagram, without any library: lifelines for the participants, one row per
 * message or note with its virtual time on the left, the causal steps and the violating events on a coloured band
 * with their labels after the text, and each violation as a red note across the lifelines. A text too long for its
 * place wraps onto more lines (the row grows); nothing is cut. The drawing scales down to the width of its container
 * (`viewBox`, `max-width: 100%`). Deterministic: the same story gives the same bytes.
 */
export function sequenceSvg(story: SequenceStory): string {
  const index = new Map(story.participants.map((participant, position) => [participant.id, position]));
  const gaps = columnGaps(story, index);
  const centers: number[] = [];
  const firstId = story.participants[0]?.id ?? '';
  const lastId = story.participants[story.participants.length - 1]?.id ?? '';
  let x = LAYOUT.timeGutterPx + Math.max(LAYOUT.minGapPx / 2, (textWidth(story.participants[0]?.label ?? '') + LAYOUT.textPaddingPx) / 2, widestNoteOver(story, firstId) / 2);
  story.participants.forEach((_, position) => {
    centers.push(Math.round(x));
    x += gaps[position] ?? 0;
  });
  const lastCenter = centers[centers.length - 1] ?? LAYOUT.timeGutterPx;
  const diagramRight = Math.round(lastCenter + Math.max(LAYOUT.minGapPx / 2, widestNoteOver(story, lastId) / 2));
  const width = Math.round(diagramRight + LAYOUT.rightMarginPx);

  const body: string[] = [];
  let y = LAYOUT.headerHeightPx + LAYOUT.headerGapPx;
  const { lineHeightPx } = LAYOUT;
  for (const item of story.items) {
    if (item.kind === 'violation') {
      const left = LAYOUT.timeGutterPx - 8;
      const right = diagramRight;
      const lines = wrapToWidth(`⚠ ${item.property}: ${item.text}`, right - left - 20);
      const height = LAYOUT.violationRowHeightPx + (lines.length - 1) * lineHeightPx;
      body.push(`<rect class="violation-note" x="${left}" y="${y + 3}" width="${right - left}" height="${height - 6}" rx="4" fill="${FILL.violationNote}" stroke="#b30000"/>`);
      lines.forEach((line, row) => body.push(`<text x="${left + 10}" y="${y + 21 + row * lineHeightPx}" font-weight="bold" fill="#7a0000">${escapeXml(line)}</text>`));
      y += height;
      continue;
    }
    const label = markLabel(item.marks);
    const violating = item.marks.some((mark) => mark.kind === 'violation');
    const rowStart = y;
    const band = (height: number): void => {
      if (item.marks.length > 0) body.push(`<rect x="0" y="${rowStart}" width="${width}" height="${height}" fill="${violating ? FILL.violation : FILL.cause}"/>`);
      body.push(`<text x="6" y="${rowStart + 19}" fill="#666">${escapeXml(`${formatVirtualTime(item.atMs)} #${item.step}`)}</text>`);
    };
    if (item.kind === 'note') {
      const positions = item.over.map((id) => centers[index.get(id) ?? 0]!);
      const left = Math.min(...positions) - LAYOUT.minGapPx / 2 + 10;
      const right = Math.max(...positions) + LAYOUT.minGapPx / 2 - 10;
      const center = (left + right) / 2;
      const maxHalf = Math.min(center - LAYOUT.timeGutterPx + 4, diagramRight - center);
      const lines = textLines(item.text, label, maxHalf * 2 - LAYOUT.textPaddingPx);
      const needed = Math.max(...lines.map((line) => textWidth(line.text + line.label))) + LAYOUT.textPaddingPx;
      const half = Math.min(Math.max((right - left) / 2, needed / 2), maxHalf);
      const height = LAYOUT.rowHeightPx + (lines.length - 1) * lineHeightPx;
      band(height);
      body.push(`<rect x="${Math.round(center - half)}" y="${y + 4}" width="${Math.round(half * 2)}" height="${height - 8}" rx="3" fill="${FILL.note}" stroke="#8da2c8"/>`);
      lines.forEach((line, row) => body.push(textElement(Math.round(center), y + 19 + row * lineHeightPx, 'middle', '', line.text, line.label, violating)));
      y += height;
      continue;
    }
    const from = centers[index.get(item.from) ?? 0]!;
    const to = centers[index.get(item.to) ?? 0]!;
    const self = from === to;
    const room = self ? diagramRight - from - 44 : Math.abs(to - from) - 12;
    const textX = self ? from + 40 : Math.round((from + to) / 2);
    const anchor = self ? 'start' : 'middle';
    // The text above the arrow; the label of a marked message under it, so the message keeps its room.
    const lines = wrapToWidth(item.text, room);
    const labelLines = label === '' ? [] : wrapToWidth(label, room);
    const arrowY = y + 21 + (lines.length - 1) * lineHeightPx;
    const height = LAYOUT.rowHeightPx + (lines.length - 1) * lineHeightPx + (labelLines.length === 0 ? 0 : LAYOUT.labelBelowArrowPx + (labelLines.length - 1) * lineHeightPx);
    band(height);
    body.push(...arrow(from, to, arrowY, item.style));
    lines.forEach((line, row) => body.push(textElement(textX, y + 13 + row * lineHeightPx, anchor, item.style, line, '', violating)));
    labelLines.forEach((line, row) => body.push(textElement(textX, arrowY + LAYOUT.labelBelowArrowPx + row * lineHeightPx, anchor, '', '', line, violating)));
    y += height;
  }
  const height = y + LAYOUT.bottomMarginPx;

  const heads: string[] = [];
  story.participants.forEach((participant, position) => {
    const center = centers[position]!;
    const boxWidth = Math.max(LAYOUT.minGapPx - 20, textWidth(participant.label) + LAYOUT.textPaddingPx);
    heads.push(
      `<line x1="${center}" y1="${LAYOUT.headerHeightPx}" x2="${center}" y2="${height - 8}" stroke="#9aa7bd" stroke-dasharray="4 4"/>`,
      `<rect x="${Math.round(center - boxWidth / 2)}" y="4" width="${Math.round(boxWidth)}" height="${LAYOUT.headerHeightPx - 8}" rx="4" fill="${FILL.header}" stroke="#5b6f94"/>`,
      `<text x="${center}" y="${LAYOUT.headerHeightPx / 2 + 4}" text-anchor="middle" font-weight="bold">${escapeXml(participant.label)}</text>`,
    );
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sequence" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="${LAYOUT.fontSizePx}" role="img" aria-label="sequence diagram of the story">`,
    '<defs>',
    '<marker id="seq-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>',
    '<marker id="seq-open" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10" fill="none" stroke="#333" stroke-width="1.5"/></marker>',
    '<marker id="seq-cross" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="9" markerHeight="9" orient="auto"><path d="M1,1 L9,9 M9,1 L1,9" stroke="#c00000" stroke-width="2"/></marker>',
    '</defs>',
    ...heads,
    ...body,
    '</svg>',
  ].join('\n');
}

/** Distance from each participant's lifeline to the next one, wide enough for the texts between them. */
function columnGaps(story: SequenceStory, index: ReadonlyMap<string, number>): number[] {
  const count = story.participants.length;
  const gaps: number[] = new Array<number>(Math.max(count - 1, 0)).fill(LAYOUT.minGapPx);
  story.participants.forEach((participant, position) => {
    if (position >= count - 1) return;
    const next = story.participants[position + 1]!;
    const needed = (textWidth(participant.label) + textWidth(next.label)) / 2 + LAYOUT.textPaddingPx;
    gaps[position] = Math.max(gaps[position]!, needed);
  });
  for (const item of story.items) {
    if (item.kind !== 'message') continue;
    const from = index.get(item.from) ?? 0;
    const to = index.get(item.to) ?? 0;
    const low = Math.min(from, to);
    const high = Math.max(from, to);
    if (low === high) continue;
    const perGap = (Math.max(textWidth(item.text), textWidth(markLabel(item.marks))) + LAYOUT.textPaddingPx) / (high - low);
    for (let gap = low; gap < high; gap += 1) gaps[gap] = Math.max(gaps[gap]!, perGap);
  }
  return gaps.map((gap) => Math.round(Math.min(gap, LAYOUT.maxGapPx)));
}

/** Width of the widest note over `id` alone (with its mark label), capped like a gap. */
function widestNoteOver(story: SequenceStory, id: string): number {
  let widest = 0;
  for (const item of story.items) {
    if (item.kind !== 'note' || item.over.length !== 1 || item.over[0] !== id) continue;
    widest = Math.max(widest, textWidth(labelled(item.text, markLabel(item.marks))) + LAYOUT.textPaddingPx);
  }
  return Math.min(widest, LAYOUT.maxGapPx);
}

function arrow(from: number, to: number, y: number, style: ArrowStyle): string[] {
  const dashed = style === 'reply' || style === 'fail' ? ' stroke-dasharray="6 4"' : '';
  const marker = style === 'fail' ? 'seq-cross' : style === 'async' || style === 'reply' ? 'seq-open' : 'seq-head';
  const color = style === 'fail' ? '#c00000' : '#333';
  if (from === to) {
    return [`<path d="M${from},${y - 10} H${from + 30} V${y} H${from + 2}" fill="none" stroke="${color}"${dashed} marker-end="url(#${marker})"/>`];
  }
  const end = to > from ? to - 2 : to + 2;
  return [`<line x1="${from}" y1="${y}" x2="${end}" y2="${y}" stroke="${color}" stroke-width="1.3"${dashed} marker-end="url(#${marker})"/>`];
}

/** A text element: `text`, then the mark label in bold (red on a violating step, brown on a cause). */
function textElement(x: number, y: number, anchor: string, className: string, text: string, label: string, violating: boolean): string {
  const classAttribute = className === '' ? '' : ` class="${className}"`;
  const mark = label === '' ? '' : `<tspan font-weight="bold" fill="${violating ? '#9b0000' : '#7a5c00'}">${escapeXml(label)}</tspan>`;
  return `<text x="${x}" y="${y}" text-anchor="${anchor}"${classAttribute}>${escapeXml(text)}${mark}</text>`;
}

/**
 * A note's text and its mark label as lines of at most `widthPx`: the text wrapped, the label after the last line
 * when it fits there, else on lines of its own.
 */
function textLines(text: string, label: string, widthPx: number): Array<{ text: string; label: string }> {
  const lines = wrapToWidth(text, widthPx).map((line) => ({ text: line, label: '' }));
  if (label === '') return lines;
  const last = lines[lines.length - 1]!;
  if (textWidth(`${last.text}  ${label}`) <= widthPx) {
    last.label = `  ${label}`;
    return lines;
  }
  return [...lines, ...wrapToWidth(label, widthPx).map((line) => ({ text: '', label: line }))];
}

/** `text` wrapped (timeline's wrap) into lines of at most `widthPx`; one empty line for an empty text. */
function wrapToWidth(text: string, widthPx: number): string[] {
  const lines = wrap(text, Math.floor((widthPx + 1) / LAYOUT.charWidthPx));
  return lines.length > 0 ? lines : [''];
}

function labelled(text: string, label: string): string {
  return label === '' ? text : `${text}  ${label}`;
}

/** The label after a marked step: its causes (a violating step is shown by its red band and the note after it). */
function markLabel(marks: readonly StoryMark[]): string {
  const causes = marks.filter((mark) => mark.kind === 'cause').map((mark) => mark.label);
  return causes.length > 0 ? `← ${causes.join(', ')}` : '';
}

function textWidth(text: string): number {
  return [...text].length * LAYOUT.charWidthPx;
}

/** Text safe inside XML and HTML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

