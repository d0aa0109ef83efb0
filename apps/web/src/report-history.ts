import type { Narrative, Obligation, ReportValues, StreamEvent } from './types';

/**
 * A report as its stream tells it: the obligation, where it stands, the values and narrative of the
 * latest version and of the approved one, and each version in order. Built only to show the report;
 * the decider on the server is what decides.
 */
export type ReportVersion = Readonly<{
  version: number;
  kind: 'submitted' | 'corrected';
  values: ReportValues;
  narrative: Narrative | undefined;
  at: string;
  by: string;
  reason?: string;
}>;

export type ReportHistory = Readonly<{
  obligation: Obligation | undefined;
  status: 'none' | 'open' | 'submitted' | 'returned' | 'approved' | 'waived';
  version: number;
  returnedReason: string | null;
  waivedReason: string | null;
  approvedVersion: number | null;
  overdue: boolean;
  openEscalations: number;
  versions: ReportVersion[];
  events: StreamEvent[];
}>;

const EMPTY: ReportHistory = {
  obligation: undefined,
  status: 'none',
  version: 0,
  returnedReason: null,
  waivedReason: null,
  approvedVersion: null,
  overdue: false,
  openEscalations: 0,
  versions: [],
  events: [],
};

type Data = Record<string, unknown>;

export const foldReport = (events: readonly StreamEvent[]): ReportHistory => {
  let r: ReportHistory = { ...EMPTY, events: [...events] };
  for (const event of events) {
    const d = event.data as Data;
    const { userId, unitId } = event.metadata.actor;
    const by = unitId ? `${userId} (${unitId})` : userId;
    switch (event.type) {
      case 'ReportingObligationOpened':
        r = { ...r, obligation: d as unknown as Obligation, status: 'open' };
        break;
      case 'ReportSubmitted':
        r = {
          ...r,
          status: 'submitted',
          version: d.version as number,
          returnedReason: null,
          versions: [
            ...r.versions,
            {
              version: d.version as number,
              kind: 'submitted',
              values: d.values as ReportValues,
              narrative: d.narrative as Narrative,
              at: event.metadata.occurredAt,
              by,
            },
          ],
        };
        break;
      case 'ReportCorrected': {
        const previous = r.versions[r.versions.length - 1]?.narrative;
        r = {
          ...r,
          status: 'submitted',
          version: d.version as number,
          versions: [
            ...r.versions,
            {
              version: d.version as number,
              kind: 'corrected',
              values: d.values as ReportValues,
              narrative: (d.narrative as Narrative | undefined) ?? previous,
              at: event.metadata.occurredAt,
              by,
              reason: d.reason as string,
            },
          ],
        };
        break;
      }
      case 'ReportReturned':
        r = { ...r, status: 'returned', returnedReason: d.reason as string };
        break;
      case 'ReportApproved':
        r = { ...r, status: 'approved', approvedVersion: d.version as number };
        break;
      case 'ObligationWaived':
        r = { ...r, status: 'waived', waivedReason: d.reason as string };
        break;
      case 'ReportOverdue':
        r = { ...r, overdue: true };
        break;
      case 'EscalationRaised':
        r = { ...r, openEscalations: r.openEscalations + 1 };
        break;
      case 'EscalationResolved':
        r = { ...r, openEscalations: Math.max(0, r.openEscalations - 1) };
        break;
      default:
        // reminders and any event type added later: listed in the history, no change here
        break;
    }
  }
  return r;
};

export const latestVersion = (r: ReportHistory): ReportVersion | undefined => r.versions[r.versions.length - 1];
export const approvedVersionOf = (r: ReportHistory): ReportVersion | undefined =>
  r.approvedVersion === null ? undefined : r.versions.find((v) => v.version === r.approvedVersion);
