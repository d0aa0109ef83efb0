import type { Event } from '@app/kernel';

/** Events of the `unit-<unitId>` stream. Every change carries the date (yyyy-mm-dd) it takes effect. */
export const OFFICER_ROLES = ['admin', 'leader', 'officer', 'viewer'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];

export type UnitRegistered = Event<
  'UnitRegistered',
  { unitId: string; code: string; name: string; level: string; parentId: string | null; validFrom: string }
>;
export type UnitRenamed = Event<'UnitRenamed', { name: string; validFrom: string }>;
export type UnitMoved = Event<'UnitMoved', { fromParentId: string | null; toParentId: string; validFrom: string }>;
/** The unit lives on in `intoUnitId`; its stream and reports stay as they were. */
export type UnitMerged = Event<'UnitMerged', { intoUnitId: string; validFrom: string }>;
export type UnitDissolved = Event<'UnitDissolved', { validFrom: string; reason: string }>;
export type OfficerAppointed = Event<
  'OfficerAppointed',
  { userId: string; role: OfficerRole; department?: string; validFrom: string }
>;
export type OfficerRelieved = Event<'OfficerRelieved', { userId: string; validFrom: string }>;

export type UnitEvent =
  UnitRegistered | UnitRenamed | UnitMoved | UnitMerged | UnitDissolved | OfficerAppointed | OfficerRelieved;

export const UNIT_EVENT_TYPES: readonly UnitEvent['type'][] = [
  'UnitRegistered',
  'UnitRenamed',
  'UnitMoved',
  'UnitMerged',
  'UnitDissolved',
  'OfficerAppointed',
  'OfficerRelieved',
];
