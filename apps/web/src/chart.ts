import { h, svg } from './dom';
import { formatNumber } from './format';
import { type MessageKey, t } from './i18n';
import type { Counts } from './types';

/**
 * Status bars that read in greyscale too: each status has a colour and a pattern (solid, stripes,
 * dots, cross-hatch), a label in the legend, and its figure in the table beside the chart.
 */
export const SEGMENTS = ['onTime', 'late', 'pending', 'overdue'] as const;
export type Segment = (typeof SEGMENTS)[number];

const LABELS: Readonly<Record<Segment, MessageKey>> = {
  onTime: 'status.onTime',
  late: 'status.late',
  pending: 'status.pendingInTime',
  overdue: 'status.overdue',
};

export const segmentLabel = (segment: Segment): string => t(LABELS[segment]);

/** The four parts of `expected`: in on time, in late, awaited within the deadline, overdue. */
export const segmentsOf = (c: Counts): Record<Segment, number> => ({
  onTime: c.onTime,
  late: c.late,
  pending: Math.max(0, c.expected - c.submitted - c.overdue),
  overdue: c.overdue,
});

/** The patterns, defined once per page in a hidden SVG; bars refer to them by id. */
export const patternDefs = (): SVGElement =>
  svg(
    'svg',
    { width: 0, height: 0, 'aria-hidden': 'true', focusable: 'false', class: 'defs' },
    svg(
      'defs',
      {},
      svg(
        'pattern',
        { id: 'pat-onTime', width: 6, height: 6, patternUnits: 'userSpaceOnUse' },
        svg('rect', { width: 6, height: 6, class: 'fill-onTime' }),
      ),
      svg(
        'pattern',
        { id: 'pat-late', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        svg('rect', { width: 6, height: 6, class: 'fill-late' }),
        svg('rect', { width: 2, height: 6, class: 'fill-white' }),
      ),
      svg(
        'pattern',
        { id: 'pat-pending', width: 6, height: 6, patternUnits: 'userSpaceOnUse' },
        svg('rect', { width: 6, height: 6, class: 'fill-pending' }),
        svg('circle', { cx: 3, cy: 3, r: 1.2, class: 'fill-dark' }),
      ),
      svg(
        'pattern',
        { id: 'pat-overdue', width: 6, height: 6, patternUnits: 'userSpaceOnUse' },
        svg('rect', { width: 6, height: 6, class: 'fill-overdue' }),
        svg('path', { d: 'M0,0 L6,6 M6,0 L0,6', class: 'stroke-white' }),
      ),
    ),
  );

const BAR_HEIGHT = 16;

/** One bar's rectangles, scaled to `width` for `expected` units. */
const barRects = (c: Counts, width: number, y: number): SVGElement[] => {
  const parts = segmentsOf(c);
  const total = SEGMENTS.reduce((sum, s) => sum + parts[s], 0);
  const rects: SVGElement[] = [svg('rect', { x: 0, y, width, height: BAR_HEIGHT, class: 'bar-empty' })];
  let x = 0;
  for (const segment of SEGMENTS) {
    if (total === 0 || parts[segment] === 0) continue;
    const w = (parts[segment] / total) * width;
    rects.push(
      svg(
        'rect',
        { x, y, width: w, height: BAR_HEIGHT, fill: `url(#pat-${segment})`, class: 'bar-part' },
        svg('title', {}, `${segmentLabel(segment)}: ${formatNumber(parts[segment])}`),
      ),
    );
    x += w;
  }
  return rects;
};

/** "On time 1, late 0, within the deadline 107, overdue 0": the bar in words, for screen readers. */
export const describeCounts = (c: Counts): string => {
  const parts = segmentsOf(c);
  return SEGMENTS.map((s) => `${segmentLabel(s)} ${formatNumber(parts[s])}`).join(', ');
};

/** A single compact bar (a node's total). */
export const statusBar = (c: Counts): SVGElement =>
  svg(
    'svg',
    { class: 'bar', viewBox: `0 0 200 ${BAR_HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': describeCounts(c) },
    ...barRects(c, 200, 0),
  );

/** The children of a node as one compact chart: a labelled bar per child, its figures in words beside it. */
export const childrenChart = (rows: readonly { label: string; counts: Counts }[], caption: string): HTMLElement => {
  const rowHeight = BAR_HEIGHT + 10;
  const labelWidth = 150;
  const barWidth = 300;
  const chart = svg(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${labelWidth + barWidth + 70} ${rows.length * rowHeight}`,
      role: 'img',
      'aria-label': caption,
    },
    ...rows.flatMap((row, i) => {
      const y = i * rowHeight + 4;
      const label = row.label.length > 22 ? `${row.label.slice(0, 21)}…` : row.label;
      return [
        svg('text', { x: 0, y: y + 12, class: 'chart-label' }, label),
        svg('g', { transform: `translate(${labelWidth},0)` }, ...barRects(row.counts, barWidth, y)),
        svg(
          'text',
          { x: labelWidth + barWidth + 6, y: y + 12, class: 'chart-figure' },
          `${formatNumber(row.counts.submitted)}/${formatNumber(row.counts.expected)}`,
        ),
      ];
    }),
  );
  return h('figure', { class: 'chart-figure-box' }, chart, h('figcaption', {}, caption), legend());
};

export const legend = (): HTMLElement =>
  h(
    'ul',
    { class: 'legend' },
    ...SEGMENTS.map((segment) =>
      h(
        'li',
        {},
        svg(
          'svg',
          { width: 18, height: 12, 'aria-hidden': 'true', focusable: 'false' },
          svg('rect', { width: 18, height: 12, fill: `url(#pat-${segment})`, class: 'swatch' }),
        ),
        ' ',
        segmentLabel(segment),
      ),
    ),
  );
