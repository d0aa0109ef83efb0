import { query } from '../api';
import { type Child, h, link } from '../dom';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { t } from '../i18n';
import { directiveNumber, ensureDirectives, ensureUnits, loadDirective, loadUnit, unitLabel, unitName } from '../names';
import type { PageContext } from '../page';
import { paths } from '../routes';
import { hasRole } from '../session';
import type { Achievement, Dashboard, DirectiveStatus, DirectiveView, EscalationView, Page } from '../types';
import { badge, liveBlock, officialBadge, pager, reviewBadge, section, table } from '../ui';
import { achievementTable, levelsTable, obligationsPage, obligationsTable, reportLink } from './common';

const PAGE_SIZE = 10;

/** One read of the dashboard serves every part of the page that polls within the same second. */
const sharedLoad = <T>(load: () => Promise<T>, ttlMs = 1000): (() => Promise<T>) => {
  let last: { at: number; promise: Promise<T> } | undefined;
  return () => {
    const now = performance.now();
    if (!last || now - last.at > ttlMs) last = { at: now, promise: load() };
    return last.promise;
  };
};

type AssignmentTotals = Readonly<{ total: number; acknowledged: number; implementing: number }>;

const assignmentTotals = async (directiveId: string, under: string): Promise<AssignmentTotals> => {
  const total = (params: Record<string, string>) =>
    query<Page<unknown>>(`/directives/${encodeURIComponent(directiveId)}/assignments`, { under, pageSize: 1, ...params }).then(
      (p) => p.total,
    );
  const [all, notAcknowledged, cancelled, notImplemented] = await Promise.all([
    total({}),
    total({ status: 'assigned' }),
    total({ status: 'cancelled' }),
    total({ notImplemented: 'true' }),
  ]);
  return {
    total: all - cancelled,
    acknowledged: all - cancelled - notAcknowledged,
    implementing: all - cancelled - notImplemented,
  };
};

type DirectiveInForce = Readonly<{
  directive: DirectiveView;
  period: string;
  status: DirectiveStatus;
  achievement: Achievement;
  assignments: AssignmentTotals;
}>;

const directiveCard = (unitId: string, d: DirectiveInForce): HTMLElement => {
  const { directive, period, status, achievement, assignments } = d;
  return h(
    'article',
    { class: 'directive-card' },
    h('h3', {}, link(paths.directive(directive.directiveId), `${directive.number} — ${directive.title}`)),
    h(
      'p',
      { class: 'meta' },
      t('home.periodLine', {
        period,
        from: formatDate(achievement.window?.from),
        to: formatDate(achievement.window?.to),
        due: formatDateTime(achievement.due),
      }),
    ),
    h(
      'ul',
      { class: 'figures' },
      h('li', {}, h('strong', {}, formatNumber(assignments.total)), ' ', t('home.assignedUnits')),
      h('li', {}, h('strong', {}, formatNumber(assignments.acknowledged)), ' ', t('home.acknowledged')),
      h('li', {}, h('strong', {}, formatNumber(assignments.implementing)), ' ', t('home.implementing')),
    ),
    levelsTable(status.levels, status.total, t('home.byLevelCaption', { number: directive.number, period })),
    achievementTable(achievement, t('home.targetsCaption', { number: directive.number, period })),
    h('p', {}, link(paths.node(directive.directiveId, period, unitId), t('home.drillDown', { unit: unitName(unitId) }))),
  );
};

export const homePage = (ctx: PageContext): void => {
  const { user, main } = ctx;
  const me = user.unitId;
  const enc = encodeURIComponent;
  const heading = h('h1', {}, t('home.title', { unit: unitName(me) }));
  ctx.setTitle(t('home.title', { unit: unitName(me) }));
  main.append(heading);
  void loadUnit(me).then((unit) => {
    heading.textContent = t('home.title', { unit: unit.name });
    ctx.setTitle(heading.textContent);
  });

  const dashboard = sharedLoad(async () => {
    const dash = await query<Dashboard>(`/units/${enc(me)}/dashboard`);
    const rows = [...dash.assigned, ...dash.escalations, ...dash.subtree];
    await Promise.all([ensureDirectives(rows.map((r) => r.directiveId)), ensureUnits(dash.escalations.map((e) => e.unitId))]);
    return dash;
  });

  // The figures first: what needs attention.
  const summary = liveBlock(dashboard, (dash) => {
    const open = dash.assigned.filter((o) => o.status === 'pending' || o.status === 'returned').length;
    const overdue = dash.subtree.reduce((sum, s) => sum + s.overdue, 0);
    return h(
      'ul',
      { class: 'summary' },
      h('li', {}, h('strong', { 'data-figure': 'assigned-open' }, formatNumber(open)), h('span', {}, t('home.figureAssigned'))),
      h('li', {}, h('strong', { 'data-figure': 'overdue' }, formatNumber(overdue)), h('span', {}, t('home.figureOverdue'))),
      h(
        'li',
        {},
        h('strong', { 'data-figure': 'escalated' }, formatNumber(dash.escalations.length)),
        h('span', {}, t('home.figureEscalated')),
      ),
    );
  });
  main.append(summary.element);
  ctx.live(summary);

  // Escalated to me: open ones by default, every one on request.
  let allEscalations = false;
  const escalations = liveBlock(
    async () => {
      const answer = await query<{ escalations: EscalationView[] }>('/escalations', {
        toUnitId: me,
        state: allEscalations ? 'all' : 'open',
      });
      const list = answer.escalations;
      await Promise.all([ensureUnits(list.map((e) => e.unitId)), ensureDirectives(list.map((e) => e.directiveId))]);
      return answer;
    },
    ({ escalations: list }) =>
      table(
        t('home.escalationsCaption'),
        [
          { label: t('obligation.unit') },
          { label: t('obligation.directive') },
          { label: t('obligation.period') },
          { label: t('escalation.step'), numeric: true },
          { label: t('escalation.raisedAt') },
          { label: t('escalation.state') },
          { label: t('obligation.open') },
        ],
        list.map((e) => [
          unitLabel(e.unitId),
          directiveNumber(e.directiveId),
          e.period,
          formatNumber(e.step + 1),
          formatDateTime(e.raisedAt),
          e.resolvedAt
            ? badge('resolved', t('escalation.resolved', { at: formatDateTime(e.resolvedAt) }), '✓')
            : badge('escalated', t('escalation.open'), '▲'),
          reportLink(e, t('obligation.view')),
        ]),
        t('home.noEscalations'),
      ),
  );
  const toggleId = 'escalations-all';
  main.append(
    section(
      t('home.escalations'),
      h(
        'p',
        {},
        h('input', {
          type: 'checkbox',
          id: toggleId,
          onchange: (event: Event) => {
            allEscalations = (event.target as HTMLInputElement).checked;
            void escalations.refresh();
          },
        }),
        ' ',
        h('label', { for: toggleId }, t('home.escalationsAll')),
      ),
      escalations.element,
    ),
  );
  ctx.live(escalations);

  // What is assigned to my unit, and when it is due.
  if (hasRole(user, 'officer', 'leader', 'admin', 'viewer')) {
    const assigned = liveBlock(dashboard, (dash) =>
      table(
        t('home.assignedCaption'),
        [
          { label: t('obligation.directive') },
          { label: t('obligation.period') },
          { label: t('obligation.window') },
          { label: t('obligation.due') },
          { label: t('obligation.status') },
          { label: t('obligation.official') },
          { label: t('obligation.open') },
        ],
        dash.assigned.map((o) => [
          directiveNumber(o.directiveId),
          o.period,
          `${formatDate(o.window.from)} – ${formatDate(o.window.to)}`,
          formatDateTime(o.due),
          reviewBadge(o.status),
          officialBadge(o.officialStatus),
          reportLink(
            o,
            o.status === 'pending' || o.status === 'returned'
              ? t('home.writeReport')
              : o.status === 'approved'
                ? t('home.viewOrCorrect')
                : t('obligation.view'),
          ),
        ]),
        t('home.nothingAssigned'),
      ),
    );
    main.append(section(t('home.assigned'), assigned.element));
    ctx.live(assigned);
  }

  // Paged lists of the subtree: reports awaiting approval (for leaders), and overdue ones.
  const pagedList = (title: string, caption: string, empty: string, params: Record<string, string>) => {
    let page = 1;
    const block = liveBlock(
      () => obligationsPage({ unitId: me, page, pageSize: PAGE_SIZE, ...params }),
      (result) => [
        obligationsTable(result.items, caption, empty),
        result.total > PAGE_SIZE
          ? pager(
              page,
              PAGE_SIZE,
              result.total,
              (next) => {
                page = next;
                void block.refresh();
              },
              caption,
            )
          : null,
      ],
    );
    main.append(section(title, block.element));
    ctx.live(block);
  };
  if (hasRole(user, 'leader', 'admin')) {
    pagedList(t('home.toReview'), t('home.toReviewCaption'), t('home.nothingToReview'), { status: 'submitted' });
  }
  pagedList(t('home.overdue'), t('home.overdueCaption'), t('home.nothingOverdue'), { officialStatus: 'overdue' });

  // Directives in force in my subtree, each with its completion by level and its targets.
  const directives = liveBlock(
    async (): Promise<DirectiveInForce[]> => {
      const dash = await dashboard();
      const pairs = new Map<string, { directiveId: string; period: string }>();
      for (const s of [...dash.subtree, ...dash.assigned]) pairs.set(`${s.directiveId}|${s.period}`, s);
      return Promise.all(
        [...pairs.values()].map(async ({ directiveId, period }) => {
          const id = enc(directiveId);
          const [directive, status, achievement, assignments] = await Promise.all([
            loadDirective(directiveId),
            query<DirectiveStatus>(`/directives/${id}/status`, { period, unitId: me }),
            query<Achievement>(`/directives/${id}/achievement`, { period, unitId: me }),
            assignmentTotals(directiveId, me),
          ]);
          return { directive, period, status, achievement, assignments };
        }),
      );
    },
    (list): Child =>
      list.length === 0 ? h('p', { class: 'empty' }, t('home.noDirectives')) : list.map((d) => directiveCard(me, d)),
  );
  main.append(section(t('home.directives'), directives.element));
  ctx.live(directives);
};
