import { query } from '../api';
import { type Child, h, link } from '../dom';
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../format';
import { t, tOr } from '../i18n';
import { ensureUnits, loadDirective, unitLabel, unitName } from '../names';
import type { PageContext } from '../page';
import { paths } from '../routes';
import type {
  Achievement,
  AssignmentView,
  Dashboard,
  DirectiveStatus,
  DirectiveView,
  Page,
  TargetDefinition,
  Task,
} from '../types';
import { liveBlock, pager, section, table } from '../ui';
import { levelName } from './common';

const ASSIGNMENTS_PAGE = 20;

const goalText = (target: TargetDefinition, value: number): string =>
  target.shape === 'share_of_units' || target.shape === 'rate' ? formatPercent(value) : formatNumber(value);

const dl = (rows: readonly [string, Child][]): HTMLElement =>
  h('dl', { class: 'header-fields' }, ...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));

const headerBlock = (d: DirectiveView): Child => [
  dl([
    [t('directive.number'), d.number],
    [t('directive.kind'), tOr(`kind.${d.kind}`, d.kind)],
    [t('directive.issuer'), h('span', {}, unitLabel(d.issuerUnitId), ' — ', d.issuingBody)],
    [t('directive.place'), d.place ?? '—'],
    [t('directive.date'), formatDate(d.documentDate)],
    [t('directive.signedBy'), d.signedBy ?? '—'],
    [t('directive.status'), tOr(`directiveStatus.${d.status}`, d.status)],
    [t('directive.issuedAt'), formatDateTime(d.issuedAt)],
    [t('directive.period'), `${formatDate(d.period.from)} – ${formatDate(d.period.to)}`],
    [
      t('directive.basis'),
      d.basisDirectiveId ? link(paths.directive(d.basisDirectiveId), d.basisDirectiveId) : t('directive.noBasis'),
    ],
    [
      t('directive.children'),
      d.childDirectives.items.length === 0
        ? t('directive.noChildren')
        : h(
            'ul',
            {},
            ...d.childDirectives.items.map((c) =>
              h(
                'li',
                {},
                link(paths.directive(c.directiveId), `${c.number} — ${c.title}`),
                ' ',
                h('span', { class: 'code' }, unitName(c.issuerUnitId)),
              ),
            ),
          ),
    ],
  ]),
  d.purpose ? h('p', { class: 'purpose' }, d.purpose) : null,
  d.amendments.length > 0
    ? h(
        'ul',
        { class: 'amendments' },
        ...d.amendments.map((a) => h('li', {}, t('directive.amended', { at: formatDate(a.at), reason: a.reason }))),
      )
    : null,
];

const targetsTable = (d: DirectiveView): Child =>
  table(
    t('directive.targetsCaption', { number: d.number }),
    [
      { label: t('targets.code') },
      { label: t('targets.title') },
      { label: t('targets.shape') },
      { label: t('targets.level') },
      { label: t('targets.goal'), numeric: true },
      { label: t('targets.milestones') },
    ],
    d.targets.map((target) => [
      target.code,
      target.title,
      tOr(`shape.${target.shape}`, target.shape),
      target.measuredAtLevel === 'all' ? t('level.all') : levelName(target.measuredAtLevel),
      `${goalText(target, target.value)}${target.unitOfMeasure ? ` ${target.unitOfMeasure}` : ''}`,
      (target.milestones ?? [])
        .map((m) => `${t('targets.from', { date: formatDate(m.from) })}: ${goalText(target, m.value)}`)
        .join('; ') || '—',
    ]),
    t('targets.none'),
  );

/** Tasks grouped by the level that carries them out ("Cấp tỉnh", "Cấp huyện", …). */
const tasksBlock = (d: DirectiveView): Child => {
  const byLevel = new Map<string, Task[]>();
  for (const task of d.tasks) byLevel.set(task.level ?? 'all', [...(byLevel.get(task.level ?? 'all') ?? []), task]);
  if (byLevel.size === 0) return h('p', { class: 'empty' }, t('directive.noTasks'));
  return [...byLevel].map(([level, tasks]) =>
    table(
      t('directive.tasksCaption', { level: level === 'all' ? t('level.all') : levelName(level) }),
      [{ label: t('task.title') }, { label: t('task.lead') }, { label: t('task.due') }],
      tasks.map((task) => [
        task.title,
        task.leadDepartment ?? (task.leadUnitId ? unitName(task.leadUnitId) : '—'),
        task.due ? formatDate(task.due) : '—',
      ]),
    ),
  );
};

const scheduleBlock = (d: DirectiveView): Child => {
  const s = d.schedule;
  if (!s) return h('p', { class: 'empty' }, t('directive.noSchedule'));
  return dl([
    [t('schedule.cadence'), tOr(`cadence.${s.cadence}`, s.cadence)],
    [t('schedule.cutOffDay'), s.cutOffDay === undefined ? t('schedule.default') : String(s.cutOffDay)],
    [t('schedule.dueOffsetDays'), s.dueOffsetDays === undefined ? t('schedule.default') : formatNumber(s.dueOffsetDays)],
    [
      t('schedule.reminders'),
      s.reminderOffsetsDays?.length
        ? s.reminderOffsetsDays.map((n) => t('schedule.daysBefore', { n })).join(', ')
        : t('schedule.default'),
    ],
    [
      t('schedule.escalation'),
      s.escalationSteps?.length
        ? s.escalationSteps
            .map((e) => t('schedule.escalationStep', { days: e.afterWorkingDays, to: tOr(`escalateTo.${e.to}`, e.to) }))
            .join('; ')
        : t('schedule.default'),
    ],
    [t('schedule.approval'), s.approvalRequired === false ? t('common.no') : t('common.yes')],
  ]);
};

type PeriodRow = Readonly<{ period: string; status: DirectiveStatus; achievement: Achievement }>;

/** A directive: its document header, targets, tasks by level, schedule, every period's status, and its assignments. */
export const directivePage = (ctx: PageContext, directiveId: string): void => {
  const { main, user } = ctx;
  const id = encodeURIComponent(directiveId);
  const heading = h('h1', {}, directiveId);
  main.append(heading);
  ctx.setTitle(directiveId);

  const header = liveBlock(
    async () => {
      const d = await loadDirective(directiveId);
      await ensureUnits([d.issuerUnitId, ...d.childDirectives.items.map((c) => c.issuerUnitId)]);
      return d;
    },
    (d) => {
      heading.textContent = `${d.number} — ${d.title}`;
      ctx.setTitle(d.number);
      return [
        section(t('directive.header'), headerBlock(d)),
        section(t('directive.targets'), targetsTable(d)),
        section(t('directive.tasks'), tasksBlock(d)),
        section(t('directive.schedule'), scheduleBlock(d)),
      ];
    },
  );
  main.append(header.element);
  ctx.live(header);

  // Every period this unit knows of for the directive, with its status at the user's unit.
  const periods = liveBlock(
    async (): Promise<PeriodRow[]> => {
      const dash = await query<Dashboard>(`/units/${encodeURIComponent(user.unitId)}/dashboard`);
      const keys = [
        ...new Set([...dash.subtree, ...dash.assigned].filter((s) => s.directiveId === directiveId).map((s) => s.period)),
      ].sort();
      return Promise.all(
        keys.map(async (period) => {
          const [status, achievement] = await Promise.all([
            query<DirectiveStatus>(`/directives/${id}/status`, { period, unitId: user.unitId }),
            query<Achievement>(`/directives/${id}/achievement`, { period, unitId: user.unitId }),
          ]);
          return { period, status, achievement };
        }),
      );
    },
    (rows) =>
      table(
        t('directive.periodsCaption', { unit: unitName(user.unitId) }),
        [
          { label: t('obligation.period') },
          { label: t('obligation.window') },
          { label: t('obligation.due') },
          { label: t('counts.expected'), numeric: true },
          { label: t('counts.submitted'), numeric: true },
          { label: t('counts.approved'), numeric: true },
          { label: t('status.overdue'), numeric: true },
          { label: t('counts.completeness'), numeric: true },
          { label: t('obligation.open') },
        ],
        rows.map((r) => [
          r.period,
          r.achievement.window ? `${formatDate(r.achievement.window.from)} – ${formatDate(r.achievement.window.to)}` : '—',
          formatDateTime(r.achievement.due),
          formatNumber(r.status.total.expected),
          formatNumber(r.status.total.submitted),
          formatNumber(r.status.total.approved),
          formatNumber(r.status.total.overdue),
          formatPercent(r.status.total.completeness),
          link(paths.node(directiveId, r.period, user.unitId), t('directive.drillDown')),
        ]),
        t('directive.noPeriods'),
      ),
  );
  main.append(section(t('directive.periods'), periods.element));
  ctx.live(periods);

  // The assignments in the user's subtree, paged by the API.
  let page = 1;
  const assignments = liveBlock(
    () => query<Page<AssignmentView>>(`/directives/${id}/assignments`, { under: user.unitId, page, pageSize: ASSIGNMENTS_PAGE }),
    (result) => [
      table(
        t('directive.assignmentsCaption', { unit: unitName(user.unitId) }),
        [
          { label: t('obligation.unit') },
          { label: t('counts.level') },
          { label: t('assignment.status') },
          { label: t('assignment.acknowledgedAt') },
          { label: t('assignment.implementing') },
        ],
        result.items.map((a) => [
          h('span', {}, a.unitName, ' ', h('span', { class: 'code' }, a.unitId)),
          levelName(a.unitLevel),
          tOr(`assignmentStatus.${a.status}`, a.status),
          formatDate(a.acknowledgedAt),
          a.implementingDirectiveId
            ? link(paths.directive(a.implementingDirectiveId), a.implementingDirectiveId)
            : t('common.no'),
        ]),
        t('directive.noAssignments'),
      ),
      result.total > ASSIGNMENTS_PAGE
        ? pager(
            page,
            ASSIGNMENTS_PAGE,
            result.total,
            (next) => {
              page = next;
              void assignments.refresh();
            },
            t('directive.assignments'),
          )
        : null,
    ],
  );
  main.append(section(t('directive.assignments'), assignments.element));
  ctx.live(assignments);
};
