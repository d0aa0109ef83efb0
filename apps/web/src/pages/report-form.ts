import { ApiError } from '../api';
import { h, uniqueId } from '../dom';
import { formatNumber, formatPercent } from '../format';
import { lang, type MessageKey, t } from '../i18n';
import {
  draftProblems,
  type FieldProblem,
  parseNumber,
  problemMessageKey,
  reasonProblems,
  type ReportDraft,
  type TargetInput,
  targetValueAt,
  valuesFromInputs,
} from '../report-rules';
import type { Narrative, TargetDefinition } from '../types';
import { errorText } from '../ui';

export type ReportFormOptions = Readonly<{
  mode: 'submit' | 'correct';
  targets: readonly TargetDefinition[];
  /** The date the goals are read at (the period's cut-off). */
  goalDate: string;
  initial: Readonly<{ inputs: Readonly<Record<string, TargetInput>>; narrative: Narrative }>;
  send: (body: { values: Record<string, unknown>; narrative: Narrative; reason?: string }) => Promise<void>;
}>;

const NARRATIVE = ['results', 'difficulties', 'proposals'] as const;

/** The message shown for a rule's problem, in the page's language. */
export const problemText = (message: string): string => {
  const key = problemMessageKey(message);
  return key ? t(key) : message;
};

/**
 * The report form: a value per target of the obligation, of the target's kind, and the narrative
 * (and, for a correction, its reason). It checks as the user types with the server's own rules
 * (report-rules.ts), showing a problem once its field has been touched, and every problem when
 * the user tries to send.
 */
export const reportForm = (options: ReportFormOptions): HTMLFormElement => {
  const { targets, mode } = options;
  const inputs: Record<string, Record<string, string>> = {};
  for (const target of targets)
    inputs[target.targetId] = { ...(options.initial.inputs[target.targetId] ?? {}) } as Record<string, string>;
  const narrative: Record<string, string> = { ...options.initial.narrative };
  let reason = '';
  const touched = new Set<string>();
  let tried = false;

  /** Field of a problem (`values.lc-4.numerator`) → the group it belongs to (`values.lc-4`). */
  const groupOf = (field: string): string => {
    const m = /^values\.([^.]+)/.exec(field);
    return m ? `values.${m[1]}` : field;
  };
  const errorSlots = new Map<string, HTMLElement>();
  const controls = new Map<string, HTMLElement[]>();
  const register = (group: string, ...elements: HTMLElement[]) =>
    controls.set(group, [...(controls.get(group) ?? []), ...elements]);

  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: -1, hidden: true });
  const sendError = h('p', { class: 'error', role: 'alert' });

  const draft = (): ReportDraft => ({
    inputs: inputs as Record<string, TargetInput>,
    narrative: narrative as unknown as Narrative,
    ...(mode === 'correct' ? { reason } : {}),
  });

  const show = (problems: readonly FieldProblem[]) => {
    const byGroup = new Map<string, FieldProblem[]>();
    for (const p of problems) byGroup.set(groupOf(p.field), [...(byGroup.get(groupOf(p.field)) ?? []), p]);
    for (const [group, slot] of errorSlots) {
      const visible = tried || touched.has(group) ? (byGroup.get(group) ?? []) : [];
      slot.textContent = visible.map((p) => problemText(p.message)).join(' ');
      slot.hidden = visible.length === 0;
      const invalidFields = new Set(visible.map((p) => p.field));
      for (const control of controls.get(group) ?? []) {
        const field = control.dataset.field ?? group;
        const invalid = invalidFields.has(field) || invalidFields.has(group);
        if (invalid) control.setAttribute('aria-invalid', 'true');
        else control.removeAttribute('aria-invalid');
      }
    }
  };

  const validate = () => {
    const problems = draftProblems(targets, draft(), lang(), mode === 'correct');
    show(problems);
    if (tried && problems.length === 0) summary.hidden = true;
    return problems;
  };

  const textInput = (
    group: string,
    field: string,
    key: 'value' | 'numerator' | 'denominator' | 'evidence',
    label: string,
    targetId: string,
    errorId: string,
  ) => {
    const id = `f-${targetId}-${key}`;
    const input = h('input', {
      id,
      name: id,
      type: 'text',
      inputmode: key === 'evidence' ? undefined : 'decimal',
      autocomplete: 'off',
      value: inputs[targetId][key] ?? '',
      'data-field': field,
      'aria-describedby': errorId,
    });
    input.addEventListener('input', () => {
      inputs[targetId][key] = input.value;
      touched.add(group);
      validate();
      if (key === 'numerator' || key === 'denominator') updateRate(targetId);
    });
    input.addEventListener('blur', () => {
      touched.add(group);
      validate();
    });
    register(group, input);
    return h('p', { class: 'field' }, h('label', { for: id }, label), input);
  };

  const rates = new Map<string, HTMLElement>();
  const updateRate = (targetId: string) => {
    const out = rates.get(targetId);
    if (!out) return;
    const n = parseNumber(inputs[targetId].numerator, lang());
    const d = parseNumber(inputs[targetId].denominator, lang());
    out.textContent = n !== undefined && d !== undefined && d > 0 && n >= 0 ? `= ${formatPercent(n / d)}` : '';
  };

  const targetFieldset = (target: TargetDefinition) => {
    const group = `values.${target.targetId}`;
    const errorId = uniqueId('err');
    const slot = h('p', { id: errorId, class: 'field-error', hidden: true });
    errorSlots.set(group, slot);
    const goal = targetValueAt(target, options.goalDate);
    // What this unit's own value is measured against: a floor, a threshold, a rate; a total is the issuer's.
    const goalText =
      target.shape === 'share_of_units'
        ? t('form.goalThreshold', { threshold: formatNumber(target.threshold ?? 1), share: formatPercent(goal) })
        : target.shape === 'count_with_floor'
          ? t('form.goalFloor', { floor: formatNumber(goal) })
          : target.shape === 'rate'
            ? t('form.goal', { goal: formatPercent(goal) })
            : target.shape === 'absolute_total'
              ? t('form.goalTotal', { goal: formatNumber(goal) })
              : t('form.goalDone');
    const body = (() => {
      switch (target.shape) {
        case 'rate': {
          const rate = h('output', { class: 'rate', 'aria-live': 'polite' });
          rates.set(target.targetId, rate);
          return [
            h(
              'div',
              { class: 'ratio' },
              textInput(group, `${group}.numerator`, 'numerator', t('form.numerator'), target.targetId, errorId),
              textInput(group, `${group}.denominator`, 'denominator', t('form.denominator'), target.targetId, errorId),
              rate,
            ),
          ];
        }
        case 'deliverable': {
          const name = `f-${target.targetId}-done`;
          const radio = (value: 'yes' | 'no', label: MessageKey) => {
            const id = `${name}-${value}`;
            const input = h('input', {
              type: 'radio',
              id,
              name,
              value,
              checked: inputs[target.targetId].done === value,
              'data-field': `${group}.done`,
              'aria-describedby': errorId,
            });
            input.addEventListener('change', () => {
              inputs[target.targetId].done = value;
              touched.add(group);
              validate();
            });
            register(group, input);
            return h('span', { class: 'choice' }, input, ' ', h('label', { for: id }, t(label)));
          };
          return [
            h('p', { class: 'field' }, radio('yes', 'common.done'), ' ', radio('no', 'common.notDone')),
            textInput(group, `${group}.evidence`, 'evidence', t('form.evidence'), target.targetId, errorId),
          ];
        }
        default:
          return [
            textInput(
              group,
              `${group}.value`,
              'value',
              target.unitOfMeasure ? t('form.valueIn', { unit: target.unitOfMeasure }) : t('form.value'),
              target.targetId,
              errorId,
            ),
          ];
      }
    })();
    return h(
      'fieldset',
      { class: 'target', 'data-target': target.targetId },
      h('legend', {}, h('span', { class: 'code' }, target.code), ' ', target.title),
      h('p', { class: 'hint' }, goalText),
      ...body,
      slot,
    );
  };

  const narrativeField = (section: (typeof NARRATIVE)[number]) => {
    const group = `narrative.${section}`;
    const id = `f-narrative-${section}`;
    const errorId = uniqueId('err');
    const slot = h('p', { id: errorId, class: 'field-error', hidden: true });
    errorSlots.set(group, slot);
    const area = h('textarea', { id, name: id, rows: 3, 'aria-describedby': errorId, 'data-field': group });
    area.value = narrative[section] ?? '';
    area.addEventListener('input', () => {
      narrative[section] = area.value;
      touched.add(group);
      validate();
    });
    register(group, area);
    return h('p', { class: 'field' }, h('label', { for: id }, t(`narrative.${section}`)), area, slot);
  };

  const reasonField = () => {
    const group = 'reason';
    const errorId = uniqueId('err');
    const slot = h('p', { id: errorId, class: 'field-error', hidden: true });
    errorSlots.set(group, slot);
    const area = h('textarea', {
      id: 'f-reason',
      name: 'reason',
      rows: 2,
      'aria-describedby': errorId,
      required: true,
      'data-field': 'reason',
    });
    area.addEventListener('input', () => {
      reason = area.value;
      touched.add(group);
      validate();
    });
    register(group, area);
    return h('p', { class: 'field' }, h('label', { for: 'f-reason' }, t('form.correctionReason')), area, slot);
  };

  const submit = h(
    'button',
    { type: 'submit', class: 'primary' },
    mode === 'submit' ? t('form.submit') : t('form.sendCorrection'),
  );

  const form = h(
    'form',
    {
      class: 'report-form',
      novalidate: true,
      'aria-label': mode === 'submit' ? t('form.submitTitle') : t('form.correctTitle'),
      onsubmit: (event: Event) => {
        event.preventDefault();
        tried = true;
        sendError.textContent = '';
        const problems = validate();
        if (problems.length > 0) {
          summary.replaceChildren(
            h('p', {}, t('form.problems', { count: problems.length })),
            h(
              'ul',
              {},
              ...problems.map((p) => {
                const target =
                  controls.get(groupOf(p.field))?.find((c) => c.dataset.field === p.field) ?? controls.get(groupOf(p.field))?.[0];
                return h(
                  'li',
                  {},
                  h(
                    'a',
                    {
                      href: target ? `#${target.id}` : '#',
                      onclick: (e: Event) => {
                        e.preventDefault();
                        target?.focus();
                      },
                    },
                    `${fieldName(p.field)}: ${problemText(p.message)}`,
                  ),
                );
              }),
            ),
          );
          summary.hidden = false;
          summary.focus();
          return;
        }
        summary.hidden = true;
        submit.disabled = true;
        const values = valuesFromInputs(targets, inputs as Record<string, TargetInput>, lang());
        options
          .send({ values, narrative: narrative as unknown as Narrative, ...(mode === 'correct' ? { reason } : {}) })
          .catch((error: unknown) => {
            if (error instanceof ApiError && error.fields.length > 0) {
              show(error.fields);
              sendError.textContent = t('form.refused');
            } else sendError.textContent = errorText(error);
          })
          .finally(() => {
            submit.disabled = false;
          });
      },
    },
    summary,
    ...targets.map(targetFieldset),
    h('fieldset', { class: 'narrative' }, h('legend', {}, t('narrative.title')), ...NARRATIVE.map(narrativeField)),
    mode === 'correct' ? reasonField() : null,
    sendError,
    submit,
  );

  const fieldName = (field: string): string => {
    const m = /^values\.([^.]+)/.exec(field);
    if (m) return targets.find((x) => x.targetId === m[1])?.code ?? m[1];
    const n = /^narrative\.(results|difficulties|proposals)$/.exec(field);
    if (n) return t(`narrative.${n[1] as (typeof NARRATIVE)[number]}`);
    return field === 'reason' ? t('form.correctionReason') : field;
  };

  for (const target of targets) updateRate(target.targetId);
  return form;
};

/** Return with a reason, or approve: the reviewer's two actions on a submitted version. */
export const reviewForm = (
  version: number,
  approve: () => Promise<void>,
  giveBack: (reason: string) => Promise<void>,
): HTMLElement => {
  const errorId = uniqueId('err');
  const slot = h('p', { id: errorId, class: 'field-error', hidden: true });
  const failure = h('p', { class: 'error', role: 'alert' });
  const area = h('textarea', { id: 'f-return-reason', name: 'reason', rows: 2, 'aria-describedby': errorId });
  let touched = false;
  const check = () => {
    const problems = reasonProblems(area.value);
    slot.textContent = touched ? problems.map((p) => problemText(p.message)).join(' ') : '';
    slot.hidden = !touched || problems.length === 0;
    if (touched && problems.length > 0) area.setAttribute('aria-invalid', 'true');
    else area.removeAttribute('aria-invalid');
    return problems;
  };
  area.addEventListener('input', () => {
    touched = true;
    check();
  });
  const run = (action: () => Promise<void>, button: HTMLButtonElement) => {
    failure.textContent = '';
    button.disabled = true;
    action()
      .catch((error: unknown) => {
        failure.textContent = errorText(error);
      })
      .finally(() => {
        button.disabled = false;
      });
  };
  const approveButton = h('button', { type: 'button', class: 'primary', id: 'approve' }, t('review.approve', { version }));
  approveButton.addEventListener('click', () => run(approve, approveButton));
  const returnButton = h('button', { type: 'submit', id: 'return' }, t('review.return'));
  return h(
    'div',
    { class: 'review' },
    h('p', {}, approveButton),
    h(
      'form',
      {
        novalidate: true,
        'aria-label': t('review.returnTitle'),
        onsubmit: (event: Event) => {
          event.preventDefault();
          touched = true;
          if (check().length > 0) {
            area.focus();
            return;
          }
          run(() => giveBack(area.value), returnButton);
        },
      },
      h('p', { class: 'field' }, h('label', { for: 'f-return-reason' }, t('review.reason')), area, slot),
      returnButton,
    ),
    failure,
  );
};
