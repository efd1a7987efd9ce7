import type { StoryMark } from './storyMarks.ts';
import type { ArrowStyle, SequenceStory } from './sequenceStory.ts';
import { formatVirtualTime } from './time.ts';

/** Layout of the drawing, in pixels (a monospace font keeps text widths predictable). */
const LAYOUT = {
  fontSizePx: 11,
  charWidthPx: 6.7,
  timeGutterPx: 104,
  rightMarginPx: 12,
  headerHeightPx: 40,
  headerGapPx: 18,
  rowHeightPx: 30,
  labelledRowHeightPx: 44,
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
 * place is cut with `…` (its whole text is the element's tooltip). Deterministic: the same story gives the same bytes.
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
  for (const item of story.items) {
    const labelBelow = item.kind === 'message' && markLabel(item.marks) !== '';
    const height = item.kind === 'violation' ? LAYOUT.violationRowHeightPx : labelBelow ? LAYOUT.labelledRowHeightPx : LAYOUT.rowHeightPx;
    const middle = item.kind === 'violation' || !labelBelow ? y + height / 2 : y + LAYOUT.rowHeightPx / 2;
    if (item.kind === 'violation') {
      const left = LAYOUT.timeGutterPx - 8;
      const right = diagramRight;
      body.push(
        `<rect class="violation-note" x="${left}" y="${y + 3}" width="${right - left}" height="${height - 6}" rx="4" fill="${FILL.violationNote}" stroke="#b30000"/>`,
        `<text x="${left + 10}" y="${middle + 4}" font-weight="bold" fill="#7a0000">${escapeXml(clipToWidth(`⚠ ${item.property}: ${item.text}`, right - left - 20))}</text>`,
      );
      y += height;
      continue;
    }
    const label = markLabel(item.marks);
    const violating = item.marks.some((mark) => mark.kind === 'violation');
    if (item.marks.length > 0) body.push(`<rect x="0" y="${y}" width="${width}" height="${height}" fill="${violating ? FILL.violation : FILL.cause}"/>`);
    body.push(`<text x="6" y="${middle + 4}" fill="#666">${escapeXml(`${formatVirtualTime(item.atMs)} #${item.step}`)}</text>`);
    if (item.kind === 'note') {
      const positions = item.over.map((id) => centers[index.get(id) ?? 0]!);
      const left = Math.min(...positions) - LAYOUT.minGapPx / 2 + 10;
      const right = Math.max(...positions) + LAYOUT.minGapPx / 2 - 10;
      const needed = textWidth(labelled(item.text, label)) + LAYOUT.textPaddingPx;
      const center = (left + right) / 2;
      const half = Math.min(Math.max((right - left) / 2, needed / 2), center - LAYOUT.timeGutterPx + 4, diagramRight - center);
      body.push(
        `<rect x="${Math.round(center - half)}" y="${y + 4}" width="${Math.round(half * 2)}" height="${height - 8}" rx="3" fill="${FILL.note}" stroke="#8da2c8"/>`,
        textElement(Math.round(center), middle + 4, 'middle', '', item.text, label, violating, half * 2 - LAYOUT.textPaddingPx),
      );
    } else {
      const from = centers[index.get(item.from) ?? 0]!;
      const to = centers[index.get(item.to) ?? 0]!;
      body.push(...arrow(from, to, middle + 6, item.style));
      const self = from === to;
      const room = self ? diagramRight - from - 44 : Math.abs(to - from) - 12;
      const textX = self ? from + 40 : Math.round((from + to) / 2);
      const anchor = self ? 'start' : 'middle';
      // The label of a marked message goes under its arrow, so the message keeps its room.
      body.push(textElement(textX, middle - 2, anchor, item.style, item.text, '', violating, room));
      if (labelBelow) body.push(textElement(textX, middle + 20, anchor, '', '', label, violating, room));
    }
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

/**
 * A text element: `text`, then the mark label in bold, cut with `…` to `roomPx` (the label is kept; the text gives way),
 * with the whole text as its tooltip when cut.
 */
function textElement(x: number, y: number, anchor: string, className: string, text: string, label: string, violating: boolean, roomPx: number): string {
  const labelChars = label === '' ? 0 : [...label].length + 2;
  const shown = clipToWidth(text, Math.max(roomPx - labelChars * LAYOUT.charWidthPx, 12 * LAYOUT.charWidthPx));
  const tooltip = shown === text ? '' : `<title>${escapeXml(text)}</title>`;
  const classAttribute = className === '' ? '' : ` class="${className}"`;
  const mark = label === '' ? '' : `<tspan font-weight="bold" fill="${violating ? '#9b0000' : '#7a5c00'}">${shown === '' ? '' : '  '}${escapeXml(label)}</tspan>`;
  return `<text x="${x}" y="${y}" text-anchor="${anchor}"${classAttribute}>${tooltip}${escapeXml(shown)}${mark}</text>`;
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

function clipToWidth(text: string, widthPx: number): string {
  const chars = Math.max(Math.floor((widthPx + 1) / LAYOUT.charWidthPx), 4);
  const all = [...text];
  return all.length <= chars ? text : `${all.slice(0, chars - 1).join('')}…`;
}

/** Text safe inside XML and HTML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

