import { query } from '../api';
import { describeCounts, statusBar } from '../chart';
import { type Child, h, link } from '../dom';
import { formatDateTime, formatNumber, formatPercent } from '../format';
import { t, tOr } from '../i18n';
import { directiveNumber, ensureDirectives, ensureUnits, unitLabel } from '../names';
import { paths } from '../routes';
import type { Achievement, Counts, LevelStatus, ObligationView, Page, TargetAchievement } from '../types';
import { achievementBadge, type Column, officialBadge, reviewBadge, table } from '../ui';

/** Parts shared by the home, drill-down and directive pages. */

export const levelName = (level: string | null): string => (level ? tOr(`level.${level}`, level) : '—');

export const COUNT_COLUMNS = (): Column[] => [
  { label: t('counts.expected'), numeric: true },
  { label: t('counts.submitted'), numeric: true },
  { label: t('counts.completeness'), numeric: true },
  { label: t('status.onTime'), numeric: true },
  { label: t('status.late'), numeric: true },
  { label: t('status.overdue'), numeric: true },
  { label: t('counts.approved'), numeric: true },
  { label: t('counts.escalated'), numeric: true },
];

export const countCells = (c: Counts): Child[] => [
  formatNumber(c.expected),
  formatNumber(c.submitted),
  formatPercent(c.completeness),
  formatNumber(c.onTime),
  formatNumber(c.late),
  formatNumber(c.overdue),
  formatNumber(c.approved),
  formatNumber(c.escalated),
];

/** Completion by level of the reporting units, with the total as the last row and a bar. */
export const levelsTable = (levels: readonly LevelStatus[], total: Counts, caption: string): Child => [
  table(
    caption,
    [{ label: t('counts.level') }, ...COUNT_COLUMNS()],
    [
      ...levels.map((l) => [levelName(l.level), ...countCells(l)]),
      ...(levels.length > 1 ? [[t('counts.total'), ...countCells(total)]] : []),
    ],
    t('counts.none'),
  ),
  levels.length > 0
    ? h('div', { class: 'bar-line' }, statusBar(total), h('span', { class: 'sr-only' }, describeCounts(total)))
    : null,
];

/** A target's figure and goal in its own terms: a share or rate as %, a total or count as a number. */
export const targetValue = (shape: TargetAchievement['shape'], value: number | null): string =>
  shape === 'absolute_total' ? formatNumber(value) : formatPercent(value);

export const achievementTable = (a: Achievement, caption: string): Child =>
  table(
    caption,
    [
      { label: t('targets.code') },
      { label: t('targets.title') },
      { label: t('targets.figure'), numeric: true },
      { label: t('targets.goal'), numeric: true },
      { label: t('targets.label') },
    ],
    a.targets.map((target) => [
      target.code,
      target.title,
      h(
        'span',
        {},
        targetValue(target.shape, target.figure),
        target.shape === 'count_with_floor' && target.parts.sum !== undefined
          ? h('span', { class: 'muted' }, ` (${t('targets.sum', { sum: formatNumber(target.parts.sum) })})`)
          : null,
      ),
      targetValue(target.shape, target.goal),
      achievementBadge(target.label),
    ]),
    t('targets.none'),
  );

export const reportLink = (o: Pick<ObligationView, 'directiveId' | 'unitId' | 'period'>, text: string): HTMLAnchorElement =>
  link(paths.report(o.directiveId, o.unitId, o.period), text);

/** Obligations as a table: unit, directive, period, due, review status, official status, a link. */
export const obligationsTable = (items: readonly ObligationView[], caption: string, empty: string): Child =>
  table(
    caption,
    [
      { label: t('obligation.unit') },
      { label: t('obligation.directive') },
      { label: t('obligation.period') },
      { label: t('obligation.due') },
      { label: t('obligation.status') },
      { label: t('obligation.official') },
      { label: t('obligation.open') },
    ],
    items.map((o) => [
      unitLabel(o.unitId),
      directiveNumber(o.directiveId),
      o.period,
      formatDateTime(o.due),
      reviewBadge(o.status),
      officialBadge(o.officialStatus),
      reportLink(o, t('obligation.view')),
    ]),
    empty,
  );

/** A page of obligations, with the names of their units and directives looked up for the table. */
export const obligationsPage = async (params: Record<string, string | number | undefined>): Promise<Page<ObligationView>> => {
  const page = await query<Page<ObligationView>>('/obligations', params);
  await Promise.all([ensureUnits(page.items.map((o) => o.unitId)), ensureDirectives(page.items.map((o) => o.directiveId))]);
  return page;
};
