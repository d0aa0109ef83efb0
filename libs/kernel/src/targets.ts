import { type FieldError } from './domain-error';

/**
 * The shared vocabulary of targets (DOMAIN.md "Targets"): directives define them, reports carry
 * values for them, projections aggregate them. It lives in the shared kernel because all three
 * contexts must agree on it exactly.
 */
export const TARGET_SHAPES = ['count_with_floor', 'share_of_units', 'rate', 'absolute_total', 'deliverable'] as const;
export type TargetShape = (typeof TARGET_SHAPES)[number];

/** The value in force from a date on: "by 2025 at least 85%, from 2026 at least 90%". */
export type Milestone = Readonly<{ from: string; value: number }>;

export type TargetDefinition = Readonly<{
  targetId: string;
  /** As numbered in the document, e.g. "(4)". */
  code: string;
  title: string;
  shape: TargetShape;
  /** Level code at which units report the value, e.g. "commune". */
  measuredAtLevel: string;
  unitOfMeasure?: string;
  /**
   * count_with_floor: the floor each unit must reach; share_of_units: the share (0..1) of units
   * that must meet it; rate: the rate (0..1) to reach; absolute_total: the issuer's total;
   * deliverable: 1 (done).
   */
  value: number;
  /** share_of_units: the count a unit must reach to count as meeting it (default 1). */
  threshold?: number;
  milestones?: readonly Milestone[];
}>;

export type ReportedValue =
  | Readonly<{ kind: 'number'; value: number }>
  | Readonly<{ kind: 'ratio'; numerator: number; denominator: number }>
  | Readonly<{ kind: 'done'; done: boolean; evidence?: string }>;

const expectedKind = (shape: TargetShape): ReportedValue['kind'] => {
  switch (shape) {
    case 'count_with_floor':
    case 'share_of_units':
    case 'absolute_total':
      return 'number';
    case 'rate':
      return 'ratio';
    case 'deliverable':
      return 'done';
  }
};

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/** Checks one reported value against its target; returns the problems, each naming its field. */
export const validateReportedValue = (target: TargetDefinition, value: ReportedValue, field: string): FieldError[] => {
  const kind = expectedKind(target.shape);
  if (value.kind !== kind) return [{ field, message: `target ${target.code} (${target.shape}) takes a value of kind "${kind}"` }];
  switch (value.kind) {
    case 'number':
      return isCount(value.value) ? [] : [{ field: `${field}.value`, message: 'must be a finite number ≥ 0' }];
    case 'ratio': {
      const problems: FieldError[] = [];
      if (!isCount(value.numerator)) problems.push({ field: `${field}.numerator`, message: 'must be a finite number ≥ 0' });
      if (!isCount(value.denominator) || value.denominator === 0)
        problems.push({ field: `${field}.denominator`, message: 'must be a finite number > 0' });
      if (problems.length === 0 && value.numerator > value.denominator)
        problems.push({ field: `${field}.numerator`, message: 'must not exceed the denominator' });
      return problems;
    }
    case 'done':
      return typeof value.done === 'boolean' ? [] : [{ field: `${field}.done`, message: 'must be true or false' }];
  }
};

/** The target value in force on a date (ISO yyyy-mm-dd): the latest milestone started by then, else the base value. */
export const targetValueAt = (target: TargetDefinition, date: string): number => {
  let value = target.value;
  let from = '';
  for (const milestone of target.milestones ?? []) {
    if (milestone.from <= date && milestone.from >= from) {
      value = milestone.value;
      from = milestone.from;
    }
  }
  return value;
};
