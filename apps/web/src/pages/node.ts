import { query } from '../api';
import { childrenChart, statusBar } from '../chart';
import { type Child, h, link } from '../dom';
import { formatNumber, formatPercent } from '../format';
import { t } from '../i18n';
import { ensureUnits, loadDirective, loadUnit, unitName } from '../names';
import type { PageContext } from '../page';
import { paths } from '../routes';
import type { Achievement, DirectiveStatus, OfficialStatus, UnitView } from '../types';
import { liveBlock, pager, section, table } from '../ui';
import { achievementTable, COUNT_COLUMNS, countCells, levelsTable, obligationsPage, obligationsTable } from './common';

const CHILDREN_PAGE = 20;
const OBLIGATIONS_PAGE = 20;

/**
 * The drill-down: a node of the tree (central → province → district → commune → branch) for one
 * directive and period: its own completion, each child as a table row and a bar, its targets,
 * and the obligations of its subtree.
 */
export const nodePage = (ctx: PageContext, directiveId: string, period: string, unitId: string): void => {
  const { main, user } = ctx;
  const id = encodeURIComponent(directiveId);
  const crumbs = h('nav', { 'aria-label': t('node.breadcrumb'), class: 'crumbs' });
  const heading = h('h1', {}, t('node.title', { unit: unitName(unitId), period }));
  const subtitle = h('p', { class: 'meta' });
  ctx.setTitle(heading.textContent ?? '');
  main.append(crumbs, heading, subtitle);

  void Promise.all([loadUnit(unitId), loadDirective(directiveId)])
    .then(([unit, directive]) => {
      heading.textContent = t('node.title', { unit: unit.name, period });
      ctx.setTitle(heading.textContent);
      subtitle.replaceChildren(link(paths.directive(directiveId), `${directive.number} — ${directive.title}`));
      crumbs.replaceChildren(breadcrumb(unit, user.unitId, directiveId, period));
    })
    .catch(() => undefined);

  let include: 'approved' | 'submitted' = 'approved';
  const includeId = 'include-select';
  main.append(
    h(
      'p',
      { class: 'controls' },
      h('label', { for: includeId }, t('node.include')),
      ' ',
      h(
        'select',
        {
          id: includeId,
          onchange: (event: Event) => {
            include = (event.target as HTMLSelectElement).value as typeof include;
            void ctx.refreshAll();
          },
        },
        h('option', { value: 'approved' }, t('node.includeApproved')),
        h('option', { value: 'submitted' }, t('node.includeSubmitted')),
      ),
    ),
  );

  // This node and its children, from one status query; the children filtered by name and paged here.
  let childPage = 1;
  let search = '';
  const fold = (text: string): string =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .toLowerCase();
  const matching = <T extends { unitId: string }>(list: readonly T[]): T[] =>
    search === '' ? [...list] : list.filter((c) => fold(`${unitName(c.unitId)} ${c.unitId}`).includes(fold(search)));
  const pageOf = <T extends { unitId: string }>(list: readonly T[]): T[] =>
    matching(list).slice((childPage - 1) * CHILDREN_PAGE, childPage * CHILDREN_PAGE);
  const searchId = 'children-search';
  main.append(
    h(
      'p',
      { class: 'controls' },
      h('label', { for: searchId }, t('node.search')),
      ' ',
      h('input', {
        type: 'search',
        id: searchId,
        autocomplete: 'off',
        oninput: (event: Event) => {
          search = (event.target as HTMLInputElement).value.trim();
          childPage = 1;
          status.redraw();
        },
      }),
    ),
  );
  const status = liveBlock(
    async () => {
      const [answer, unit] = await Promise.all([
        query<DirectiveStatus>(`/directives/${id}/status`, { period, unitId, include, children: 'true' }),
        loadUnit(unitId),
      ]);
      // The node's first 500 children came with the unit; a larger node's others are looked up a page at a time.
      if (unit.children.total > unit.children.items.length) await ensureUnits(pageOf(answer.children ?? []).map((c) => c.unitId));
      return answer;
    },
    (answer): Child => {
      // The biggest subtrees first (districts before communes), then by name.
      const all = [...(answer.children ?? [])].sort(
        (a, b) => b.total.expected - a.total.expected || unitName(a.unitId).localeCompare(unitName(b.unitId), 'vi'),
      );
      const children = matching(all);
      const shown = pageOf(all);
      const caption = t('node.childrenCaption', { unit: unitName(unitId), count: formatNumber(children.length) });
      return [
        section(
          t('node.summary'),
          h(
            'ul',
            { class: 'summary' },
            h(
              'li',
              {},
              h('strong', { 'data-figure': 'expected' }, formatNumber(answer.total.expected)),
              h('span', {}, t('counts.expected')),
            ),
            h(
              'li',
              {},
              h('strong', { 'data-figure': 'submitted' }, formatNumber(answer.total.submitted)),
              h('span', {}, t('counts.submitted')),
            ),
            h(
              'li',
              {},
              h('strong', { 'data-figure': 'approved' }, formatNumber(answer.total.approved)),
              h('span', {}, t('counts.approved')),
            ),
            h(
              'li',
              {},
              h('strong', { 'data-figure': 'overdue' }, formatNumber(answer.total.overdue)),
              h('span', {}, t('status.overdue')),
            ),
            h(
              'li',
              {},
              h('strong', { 'data-figure': 'completeness' }, formatPercent(answer.total.completeness)),
              h('span', {}, t('counts.completeness')),
            ),
          ),
          levelsTable(answer.levels, answer.total, t('node.levelsCaption', { unit: unitName(unitId) })),
        ),
        section(
          t('node.children'),
          children.length === 0
            ? h('p', { class: 'empty' }, all.length === 0 ? t('node.noChildren') : t('node.noMatch'))
            : [
                childrenChart(
                  shown.map((c) => ({ label: unitName(c.unitId), counts: c.total })),
                  t('node.chartCaption', { unit: unitName(unitId) }),
                ),
                table(
                  caption,
                  [{ label: t('obligation.unit') }, ...COUNT_COLUMNS(), { label: t('node.bar') }],
                  shown.map((c) => [
                    link(paths.node(directiveId, period, c.unitId), unitName(c.unitId)),
                    ...countCells(c.total),
                    statusBar(c.total),
                  ]),
                ),
                children.length > CHILDREN_PAGE
                  ? pager(
                      childPage,
                      CHILDREN_PAGE,
                      children.length,
                      (next) => {
                        childPage = next;
                        void ensureUnits(pageOf(all).map((c) => c.unitId)).then(status.redraw);
                      },
                      caption,
                    )
                  : null,
              ],
        ),
      ];
    },
  );
  // Paging the children is local: the status answer holds them all, so a page is drawn from it.
  main.append(status.element);
  ctx.live(status);

  const achievement = liveBlock(
    () => query<Achievement>(`/directives/${id}/achievement`, { period, unitId, include }),
    (a) => achievementTable(a, t('node.targetsCaption', { unit: unitName(unitId) })),
  );
  main.append(section(t('node.targets'), achievement.element));
  ctx.live(achievement);

  // Every obligation of the subtree, paged by the API, filtered by official status.
  let page = 1;
  let official: OfficialStatus | '' = '';
  const filterId = 'official-filter';
  const obligations = liveBlock(
    () =>
      obligationsPage({
        unitId,
        directiveId,
        period,
        page,
        pageSize: OBLIGATIONS_PAGE,
        ...(official ? { officialStatus: official } : {}),
      }),
    (result) => [
      obligationsTable(result.items, t('node.obligationsCaption', { unit: unitName(unitId) }), t('node.noObligations')),
      result.total > OBLIGATIONS_PAGE
        ? pager(
            page,
            OBLIGATIONS_PAGE,
            result.total,
            (next) => {
              page = next;
              void obligations.refresh();
            },
            t('node.obligations'),
          )
        : null,
    ],
  );
  main.append(
    section(
      t('node.obligations'),
      h(
        'p',
        { class: 'controls' },
        h('label', { for: filterId }, t('node.filter')),
        ' ',
        h(
          'select',
          {
            id: filterId,
            onchange: (event: Event) => {
              official = (event.target as HTMLSelectElement).value as OfficialStatus | '';
              page = 1;
              void obligations.refresh();
            },
          },
          h('option', { value: '' }, t('node.filterAll')),
          ...(['overdue', 'in_progress_within_deadline', 'completed_on_time', 'completed_late'] as const).map((s) =>
            h('option', { value: s }, t(`official.${s}`)),
          ),
        ),
      ),
      obligations.element,
    ),
  );
  ctx.live(obligations);
};

/** Ancestors as links from the user's own unit down; those above it are named, not linked (not readable). */
const breadcrumb = (unit: UnitView, ownUnitId: string, directiveId: string, period: string): HTMLElement => {
  const chain = [...unit.ancestors, unit];
  const ownIndex = chain.findIndex((u) => u.unitId === ownUnitId);
  return h(
    'ol',
    {},
    ...chain.map((u, i) =>
      h(
        'li',
        {},
        u.unitId === unit.unitId
          ? h('span', { 'aria-current': 'page' }, u.name)
          : ownIndex >= 0 && i >= ownIndex
            ? link(paths.node(directiveId, period, u.unitId), u.name)
            : u.name,
      ),
    ),
  );
};
