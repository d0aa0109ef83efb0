import { command, get, getText, query } from '../api';
import { type Child, h, link } from '../dom';
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../format';
import { lang, t, tOr } from '../i18n';
import { directiveNumber, ensureDirectives, ensureUnits, loadUnit, unitLabel, unitName } from '../names';
import type { PageContext } from '../page';
import { inputsFromValues, meetsTarget, targetValueAt } from '../report-rules';
import { approvedVersionOf, foldReport, latestVersion, type ReportHistory } from '../report-history';
import { paths } from '../routes';
import { hasRole } from '../session';
import type { Dashboard, ObligationView, ReportedValue, StreamEvent, StreamPage, TargetDefinition } from '../types';
import { badge, liveBlock, officialBadge, reviewBadge, section, table } from '../ui';
import { reportForm, reviewForm } from './report-form';

const STREAM_PAGE = 1000;

const readStream = async (streamId: string): Promise<StreamEvent[]> => {
  const events: StreamEvent[] = [];
  for (let from = 0; ; from += STREAM_PAGE) {
    const page = await get<StreamPage>(`/streams/${encodeURIComponent(streamId)}`, { fromRevision: from, maxCount: STREAM_PAGE });
    events.push(...page.events);
    if (page.events.length < STREAM_PAGE) return events;
  }
};

const valueText = (target: TargetDefinition, value: ReportedValue | undefined): string => {
  if (!value) return '—';
  switch (value.kind) {
    case 'number':
      return `${formatNumber(value.value)}${target.unitOfMeasure ? ` ${target.unitOfMeasure}` : ''}`;
    case 'ratio':
      return `${formatNumber(value.numerator)}/${formatNumber(value.denominator)} (${formatPercent(value.denominator > 0 ? value.numerator / value.denominator : null)})`;
    case 'done':
      return `${value.done ? t('common.done') : t('common.notDone')}${value.evidence ? ` — ${value.evidence}` : ''}`;
  }
};

const goalText = (target: TargetDefinition, goal: number): string =>
  target.shape === 'rate' || target.shape === 'share_of_units' ? formatPercent(goal) : formatNumber(goal);

const eventDetails = (event: StreamEvent, targets: readonly TargetDefinition[]): Child => {
  const d = event.data;
  switch (event.type) {
    case 'ReportingObligationOpened':
      return t('history.opened', { due: formatDateTime(d.due as string), reviewer: unitName(d.reviewerUnitId as string) });
    case 'ReportSubmitted':
    case 'ReportCorrected': {
      const values = (d.values ?? {}) as Record<string, ReportedValue>;
      return h(
        'div',
        {},
        event.type === 'ReportSubmitted'
          ? d.onTime
            ? badge('completed_on_time', t('status.onTime'), '✓')
            : badge('completed_late', t('status.late'), '◐')
          : t('history.reason', { reason: String(d.reason ?? '') }),
        h(
          'details',
          {},
          h('summary', {}, t('history.values', { version: String(d.version) })),
          h('ul', {}, ...targets.map((target) => h('li', {}, `${target.code}: ${valueText(target, values[target.targetId])}`))),
        ),
      );
    }
    case 'ReportReturned':
    case 'ObligationWaived':
      return t('history.reason', { reason: String(d.reason ?? '') });
    case 'ReminderIssued':
      return t('history.reminder', { days: String(d.daysBefore) });
    case 'EscalationRaised':
    case 'EscalationResolved':
      return t('history.escalation', { step: String(Number(d.step) + 1), to: unitName(String(d.toUnitId)) });
    default:
      return '';
  }
};

type ReportData = Readonly<{ history: ReportHistory; obligation: ObligationView | undefined }>;

/**
 * One report: the values against the targets, the narrative, and the full history (the audit view),
 * with the actions the user may take on it: submit or correct (the reporting unit), approve or
 * return (the reviewing unit's leader).
 */
export const reportPage = (ctx: PageContext, directiveId: string, unitId: string, period: string): void => {
  const { main, user } = ctx;
  const streamId = `report-${directiveId}_${unitId}_${period}`;
  const heading = h('h1', {}, t('report.title', { unit: unitName(unitId), period }));
  const subtitle = h('p', { class: 'meta' });
  main.append(heading, subtitle);
  ctx.setTitle(heading.textContent ?? '');
  void Promise.all([loadUnit(unitId), ensureDirectives([directiveId])])
    .then(([unit]) => {
      heading.textContent = t('report.title', { unit: unit.name, period });
      ctx.setTitle(heading.textContent);
      subtitle.replaceChildren(link(paths.directive(directiveId), directiveNumber(directiveId)));
    })
    .catch(() => undefined);

  let cached: { at: number; promise: Promise<ReportData> } | undefined;
  const load = (): Promise<ReportData> => {
    const now = performance.now();
    if (cached && now - cached.at < 500) return cached.promise;
    const promise = (async () => {
      const [events, dash] = await Promise.all([
        readStream(streamId),
        query<Dashboard>(`/units/${encodeURIComponent(unitId)}/dashboard`).catch(() => undefined),
      ]);
      const history = foldReport(events);
      const actors = events.flatMap((e) => (e.metadata.actor.unitId ? [e.metadata.actor.unitId] : []));
      await ensureUnits([...actors, history.obligation?.reviewerUnitId ?? unitId]);
      const obligation = dash?.assigned.find((o) => o.directiveId === directiveId && o.period === period);
      return { history, obligation };
    })();
    cached = { at: now, promise };
    return promise;
  };

  const ref = `/reports/${encodeURIComponent(directiveId)}/${encodeURIComponent(unitId)}/${encodeURIComponent(period)}`;
  const after = async (message: string) => {
    cached = undefined;
    await ctx.refreshAll();
    ctx.announce(message);
  };

  // Where it stands.
  const state = liveBlock(load, ({ history: r, obligation: o }) => {
    if (!r.obligation) return h('p', { class: 'empty' }, t('report.noObligation'));
    const ob = r.obligation;
    return h(
      'dl',
      { class: 'header-fields' },
      h('dt', {}, t('obligation.status')),
      h(
        'dd',
        { 'data-status': r.status },
        reviewBadge(r.status === 'none' ? 'open' : r.status),
        r.version > 0 ? ` ${t('report.version', { version: r.version })}` : '',
      ),
      h('dt', {}, t('obligation.official')),
      h('dd', {}, officialBadge(o?.officialStatus ?? null)),
      h('dt', {}, t('obligation.window')),
      h('dd', {}, `${formatDate(ob.window.from)} – ${formatDate(ob.window.to)}`),
      h('dt', {}, t('obligation.due')),
      h('dd', {}, formatDateTime(ob.due)),
      h('dt', {}, t('report.reviewer')),
      h('dd', {}, unitLabel(ob.reviewerUnitId)),
      r.returnedReason
        ? [h('dt', {}, t('report.returnedReason')), h('dd', { class: 'returned-reason' }, r.returnedReason)]
        : null,
      r.overdue || r.openEscalations > 0
        ? [
            h('dt', {}, t('report.followUp')),
            h(
              'dd',
              {},
              r.overdue ? badge('overdue', t('official.overdue'), '!') : null,
              ' ',
              r.openEscalations > 0 ? badge('escalated', t('escalation.open'), '▲') : null,
            ),
          ]
        : null,
    );
  });
  main.append(section(t('report.state'), state.element));
  ctx.live(state);

  // What this user may do now. Keyed on status and version only, so typing is never redrawn away.
  const actions = liveBlock(
    async () => {
      const { history: r } = await load();
      const latest = latestVersion(r);
      return {
        status: r.status,
        version: r.version,
        obligation: r.obligation,
        values: latest?.values ?? null,
        narrative: latest?.narrative ?? null,
      };
    },
    (a): Child => {
      const ob = a.obligation;
      if (!ob) return null;
      const reporter = user.unitId === unitId && hasRole(user, 'officer', 'leader');
      const reviewer = user.unitId === ob.reviewerUnitId && hasRole(user, 'leader');
      const initial = {
        inputs: inputsFromValues(a.values, (n) => formatNumber(n, 6).replace(lang() === 'vi' ? /\./g : /,/g, '')),
        narrative: a.narrative ?? { results: '', difficulties: '', proposals: '' },
      };
      if (reporter && (a.status === 'open' || a.status === 'returned')) {
        return section(
          a.status === 'returned' ? t('form.resubmitTitle') : t('form.submitTitle'),
          reportForm({
            mode: 'submit',
            targets: ob.targets,
            goalDate: ob.window.to,
            initial,
            send: async (body) => {
              await command(`${ref}/submit`, { values: body.values, narrative: body.narrative });
              await after(t('report.sent'));
            },
          }),
        );
      }
      const correctable = a.status === 'approved' || (a.status === 'submitted' && !ob.approvalRequired);
      if (reporter && correctable) {
        return section(
          t('form.correctTitle'),
          h('p', { class: 'hint' }, t('form.correctHint')),
          reportForm({
            mode: 'correct',
            targets: ob.targets,
            goalDate: ob.window.to,
            initial,
            send: async (body) => {
              await command(`${ref}/correct`, body);
              await after(t('report.corrected'));
            },
          }),
        );
      }
      if (reviewer && a.status === 'submitted' && ob.approvalRequired) {
        return section(
          t('review.title'),
          reviewForm(
            a.version,
            async () => {
              await command(`${ref}/approve`, { version: a.version });
              await after(t('review.approved'));
            },
            async (reason) => {
              await command(`${ref}/return`, { reason, version: a.version });
              await after(t('review.returned'));
            },
          ),
        );
      }
      if (reporter && a.status === 'submitted')
        return h('p', { class: 'hint' }, t('report.awaitingReview', { unit: unitName(ob.reviewerUnitId) }));
      return null;
    },
  );
  main.append(actions.element);
  ctx.live(actions);

  // The values against the targets, and the narrative.
  const values = liveBlock(load, ({ history: r }) => {
    if (!r.obligation) return null;
    const ob = r.obligation;
    const latest = latestVersion(r);
    const approved = approvedVersionOf(r);
    return [
      section(
        t('report.values'),
        table(
          t('report.valuesCaption', { version: latest?.version ?? 0 }),
          [
            { label: t('targets.code') },
            { label: t('targets.title') },
            { label: t('targets.goal'), numeric: true },
            { label: t('report.latest'), numeric: true },
            { label: t('report.approvedValue'), numeric: true },
            { label: t('report.meets') },
          ],
          ob.targets.map((target) => {
            const goal = targetValueAt(target, ob.window.to);
            const value = latest?.values[target.targetId];
            const meets = meetsTarget(target, value, goal);
            return [
              target.code,
              target.title,
              goalText(target, goal),
              valueText(target, value),
              valueText(target, approved?.values[target.targetId]),
              meets === null ? '—' : meets ? badge('achieved', t('report.met'), '✓') : badge('missed', t('report.notMet'), '✗'),
            ];
          }),
        ),
      ),
      section(
        t('narrative.title'),
        latest?.narrative
          ? h(
              'dl',
              { class: 'narrative-view' },
              ...(['results', 'difficulties', 'proposals'] as const).flatMap((s) => [
                h('dt', {}, t(`narrative.${s}`)),
                h('dd', {}, latest.narrative?.[s] || '—'),
              ]),
            )
          : h('p', { class: 'empty' }, t('report.noNarrative')),
      ),
    ];
  });
  main.append(values.element);
  ctx.live(values);

  // The audit view: every event of the stream, who and when; the audit index as CSV.
  const exportError = h('p', { class: 'error', role: 'alert' });
  const exportButton = h('button', { type: 'button', id: 'export-csv' }, t('history.export'));
  exportButton.addEventListener('click', () => {
    exportError.textContent = '';
    getText('/audit', { directiveId, unitId, period, format: 'csv', limit: 10000 })
      .then((csv) => {
        const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
        const a = h('a', { href: url, download: `audit-${directiveId}_${unitId}_${period}.csv`, hidden: true });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      })
      .catch((error: unknown) => {
        exportError.textContent = String(error instanceof Error ? error.message : error);
      });
  });
  const history = liveBlock(load, ({ history: r }) =>
    table(
      t('history.caption', { count: r.events.length }),
      [
        { label: t('history.when') },
        { label: t('history.what') },
        { label: t('history.who') },
        { label: t('history.version'), numeric: true },
        { label: t('history.details') },
      ],
      r.events.map((event) => [
        h('time', { datetime: event.metadata.occurredAt }, formatDateTime(event.metadata.occurredAt)),
        tOr(`event.${event.type}`, event.type),
        h(
          'span',
          {},
          event.metadata.actor.userId,
          ' ',
          event.metadata.actor.unitId ? h('span', { class: 'code' }, unitName(event.metadata.actor.unitId)) : null,
        ),
        typeof event.data.version === 'number' ? formatNumber(event.data.version) : '',
        eventDetails(event, r.obligation?.targets ?? []),
      ]),
      t('history.none'),
    ),
  );
  main.append(section(t('history.title'), h('p', {}, exportButton), exportError, history.element));
  ctx.live(history);
};
