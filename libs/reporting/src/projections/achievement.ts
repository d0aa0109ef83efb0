import { type TargetDefinition, type TargetShape, targetValueAt } from '@app/kernel';
import type { TargetParts } from './rollup.projection';

export const ACHIEVEMENT_LABELS = ['on-track', 'at-risk', 'achieved', 'missed'] as const;
export type AchievementLabel = (typeof ACHIEVEMENT_LABELS)[number];

/**
 * The figure a target is judged by, from its additive parts; null while no unit has a value.
 * - count_with_floor: the share of units at or above the floor (`sum` stays in the parts);
 * - share_of_units: the share of units meeting the threshold;
 * - rate: sum of numerators / sum of denominators, never an average of rates;
 * - absolute_total: the sum;
 * - deliverable: the share of deliverables done.
 * Shares count the units that reported a value.
 */
export const targetFigure = (shape: TargetShape, parts: TargetParts): number | null => {
  const n = parts.n ?? 0;
  switch (shape) {
    case 'count_with_floor':
    case 'share_of_units':
      return n > 0 ? (parts.meet ?? 0) / n : null;
    case 'rate':
      return (parts.den ?? 0) > 0 ? (parts.num ?? 0) / (parts.den as number) : null;
    case 'absolute_total':
      return n > 0 ? (parts.sum ?? 0) : null;
    case 'deliverable':
      return n > 0 ? (parts.done ?? 0) / n : null;
  }
};

/**
 * What the figure is compared with, in force at `date` (the period's cut-off; milestones apply):
 * every unit (1) for count_with_floor, whose value is the floor each unit must reach, and for
 * deliverable; the target's value for the others.
 */
export const targetGoal = (target: TargetDefinition, date: string): number =>
  target.shape === 'count_with_floor' || target.shape === 'deliverable' ? 1 : targetValueAt(target, date);

/** Only a total grows through the period; shares and rates are judged against the full goal at any time. */
const isCumulative = (shape: TargetShape): boolean => shape === 'absolute_total';

export type PeriodTime = Readonly<{ windowFrom: string; due: string; at: Date }>;

/** The share of the period gone by at `at`: from the window's first day (Asia/Ho_Chi_Minh) to the due time, 0..1. */
export const elapsedShare = ({ windowFrom, due, at }: PeriodTime): number => {
  const start = Date.parse(`${windowFrom}T00:00:00+07:00`);
  const end = Date.parse(due);
  if (!(end > start)) return 1;
  return Math.min(1, Math.max(0, (at.getTime() - start) / (end - start)));
};

const EPSILON = 1e-9;

/**
 * The one rule for achievement labels.
 * - At or after the due time: achieved when the figure reaches the goal, else missed (no figure: missed).
 * - Before it: on-track when the figure reaches what is due by now, else at-risk (no figure yet:
 *   at-risk). What is due by now is the goal × the elapsed share for a total, and the goal itself
 *   for shares and rates, which do not grow with time.
 */
export const achievementLabel = (shape: TargetShape, figure: number | null, goal: number, time: PeriodTime): AchievementLabel => {
  if (time.at.getTime() >= Date.parse(time.due)) return figure !== null && figure >= goal - EPSILON ? 'achieved' : 'missed';
  if (figure === null) return 'at-risk';
  const dueByNow = isCumulative(shape) ? goal * elapsedShare(time) : goal;
  return figure >= dueByNow - EPSILON ? 'on-track' : 'at-risk';
};
