import { auditIndexProjection } from '@app/audit';
import { directiveStatusProjection } from '@app/directives';
import { unitTreeProjection } from '@app/org';
import type { Projection } from '@app/readstore';
import {
  escalationsProjection,
  obligationTimersProjection,
  periodTimersProjection,
  reportingStatusProjection,
} from '@app/reporting';

/** Every read model the worker keeps up to date, and the rebuild command knows by name. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  auditIndexProjection,
  unitTreeProjection,
  directiveStatusProjection,
  reportingStatusProjection,
  escalationsProjection,
  obligationTimersProjection,
  periodTimersProjection,
];

export const projectionNamed = (name: string): Projection | undefined => ALL_PROJECTIONS.find((p) => p.name === name);
