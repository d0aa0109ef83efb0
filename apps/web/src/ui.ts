import { ApiError } from './api';
import { type Child, h, replaceChildren, uniqueId } from './dom';
import { formatNumber } from './format';
import { type MessageKey, t, tOr } from './i18n';
import type { AchievementLabel, ObligationStatus, OfficialStatus } from './types';

/** A titled region: screen readers list it by its heading. */
export const section = (title: string, ...content: Child[]): HTMLElement => {
  const id = uniqueId('s');
  return h('section', { 'aria-labelledby': id, class: 'card' }, h('h2', { id }, title), ...content);
};

export type Column = Readonly<{ label: string; numeric?: boolean }>;

/** A real table: caption, column headers, and the first cell of each row as its row header. */
export const table = (caption: string, columns: readonly Column[], rows: readonly Child[][], empty?: string): HTMLElement => {
  if (rows.length === 0 && empty) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: 0 },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : undefined }, c.label))),
      ),
      h(
        'tbody',
        {},
        ...rows.map((cells) =>
          h(
            'tr',
            {},
            ...cells.map((cell, i) =>
              i === 0
                ? h('th', { scope: 'row' }, cell)
                : h('td', { class: columns[i]?.numeric ? 'num' : undefined, 'data-label': columns[i]?.label }, cell),
            ),
          ),
        ),
      ),
    ),
  );
};

/** Previous / next for a paged list, with "page 2 of 6 (112)". */
export const pager = (page: number, pageSize: number, total: number, go: (page: number) => void, what: string): HTMLElement => {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('paging.label', { what }) },
    h('button', { type: 'button', disabled: page <= 1, onclick: () => go(page - 1) }, t('paging.previous')),
    h('span', { 'aria-live': 'polite' }, t('paging.position', { page, pages, total: formatNumber(total) })),
    h('button', { type: 'button', disabled: page >= pages, onclick: () => go(page + 1) }, t('paging.next')),
  );
};

/** A status as a word with a symbol, never as a colour alone. */
export const badge = (kind: string, text: string, symbol: string): HTMLElement =>
  h('span', { class: `badge badge-${kind}` }, h('span', { 'aria-hidden': 'true' }, symbol), ' ', text);

const OFFICIAL: Readonly<Record<OfficialStatus, [string, MessageKey]>> = {
  completed_on_time: ['✓', 'official.completed_on_time'],
  completed_late: ['◐', 'official.completed_late'],
  in_progress_within_deadline: ['…', 'official.in_progress_within_deadline'],
  overdue: ['!', 'official.overdue'],
};
export const officialBadge = (status: OfficialStatus | null): Child =>
  status ? badge(status, t(OFFICIAL[status][1]), OFFICIAL[status][0]) : '—';

const REVIEW: Readonly<Record<ObligationStatus, string>> = {
  pending: '○',
  submitted: '↑',
  returned: '↩',
  approved: '✓',
  waived: '–',
};
export const reviewBadge = (status: ObligationStatus | 'open'): Child => {
  const s = status === 'open' ? 'pending' : status;
  return badge(`review-${s}`, tOr(`reviewStatus.${s}`, s), REVIEW[s] ?? '');
};

const LABEL_SYMBOL: Readonly<Record<AchievementLabel, string>> = { 'on-track': '↗', 'at-risk': '⚠', achieved: '✓', missed: '✗' };
export const achievementBadge = (label: AchievementLabel): Child =>
  badge(label, tOr(`label.${label}`, label), LABEL_SYMBOL[label]);

export const errorText = (error: unknown): string => {
  if (error instanceof ApiError) {
    if (error.status === 403) return t('error.forbidden');
    if (error.status === 404) return t('error.notFound');
    return t('error.api', { code: error.code, message: error.message });
  }
  return t('error.network');
};

export const errorBox = (error: unknown): HTMLElement => h('p', { class: 'error', role: 'alert' }, errorText(error));

/**
 * A part of a page that loads its data, shows it, and (when polled) shows it again only if it
 * changed; the focused control keeps its focus when the part is redrawn.
 */
export const liveBlock = <T>(
  load: () => Promise<T>,
  render: (data: T) => Child,
): { element: HTMLElement; refresh: () => Promise<void>; redraw: () => void } => {
  const element = h('div', { class: 'live', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('common.loading')));
  let shown: string | undefined;
  let last: T | undefined;
  const draw = (data: T) => {
    const focusedId = element.contains(document.activeElement) ? document.activeElement?.id : undefined;
    replaceChildren(element, render(data));
    element.setAttribute('aria-busy', 'false');
    if (focusedId) document.getElementById(focusedId)?.focus();
  };
  const refresh = async () => {
    let data: T;
    try {
      data = await load();
    } catch (error) {
      if (shown === undefined) replaceChildren(element, errorBox(error));
      element.setAttribute('aria-busy', 'false');
      return;
    }
    const json = JSON.stringify(data);
    if (json === shown) return;
    shown = json;
    last = data;
    draw(data);
  };
  /** Draws the last data again (local paging of data already loaded). */
  const redraw = () => {
    if (last !== undefined) draw(last);
  };
  return { element, refresh, redraw };
};
