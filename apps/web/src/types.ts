// The answers of the public query API that the pages read (docs/api.md). Event payloads come from
// the reporting domain's own types, imported as types only: nothing of the server is bundled.
import type { TargetDefinition } from '../../../libs/kernel/src/targets';

export type { TargetDefinition };
export type { ReportedValue } from '../../../libs/kernel/src/targets';
export type { Narrative, Obligation, ReportValues } from '../../../libs/reporting/src/domain/report.events';

export type Page<T> = Readonly<{ items: T[]; total: number; page: number; pageSize: number }>;

export type UnitRef = Readonly<{ unitId: string; code: string; name: string; level: string; status: string }>;
export type UnitView = UnitRef & Readonly<{ parentId: string | null; ancestors: UnitRef[]; children: Page<UnitRef> }>;

export type Counts = Readonly<{
  expected: number;
  submitted: number;
  onTime: number;
  late: number;
  approved: number;
  overdue: number;
  escalated: number;
  waived: number;
  completeness: number | null;
}>;
export type LevelStatus = Counts & Readonly<{ level: string }>;
export type NodeStatus = Readonly<{ unitId: string; levels: LevelStatus[]; total: Counts }>;
export type DirectiveStatus = NodeStatus & Readonly<{ directiveId: string; period: string; children?: NodeStatus[] }>;

export type AchievementLabel = 'on-track' | 'at-risk' | 'achieved' | 'missed';
export type TargetAchievement = Readonly<{
  targetId: string;
  code: string;
  title: string;
  shape: TargetDefinition['shape'];
  unitOfMeasure: string | null;
  goal: number;
  figure: number | null;
  label: AchievementLabel;
  parts: Readonly<Record<string, number>>;
}>;
export type Achievement = Readonly<{
  window: { from: string; to: string } | null;
  due: string | null;
  targets: TargetAchievement[];
}>;

export type ObligationStatus = 'pending' | 'submitted' | 'returned' | 'approved' | 'waived';
export type OfficialStatus = 'completed_on_time' | 'completed_late' | 'in_progress_within_deadline' | 'overdue';
export type ObligationView = Readonly<{
  directiveId: string;
  unitId: string;
  period: string;
  unitLevel: string | null;
  reviewerUnitId: string;
  window: { from: string; to: string };
  due: string;
  status: ObligationStatus;
  officialStatus: OfficialStatus | null;
  overdue: boolean;
  escalated: boolean;
  version: number;
  submittedAt: string | null;
  onTime: boolean | null;
  approvedAt: string | null;
}>;

export type EscalationView = Readonly<{
  directiveId: string;
  unitId: string;
  period: string;
  step: number;
  toUnitId: string;
  raisedAt: string;
  resolvedAt: string | null;
}>;

export type Dashboard = Readonly<{
  unitId: string;
  assigned: ObligationView[];
  subtree: (Counts & { directiveId: string; period: string })[];
  escalations: EscalationView[];
  overdueSubordinates: ObligationView[];
}>;

export type Task = Readonly<{
  taskId: string;
  title: string;
  level?: string;
  leadUnitId?: string;
  leadDepartment?: string;
  coordinating?: string[];
  due?: string;
}>;
export type Schedule = Readonly<{
  cadence: string;
  cutOffDay?: number;
  dueOffsetDays?: number;
  reminderOffsetsDays?: number[];
  escalationSteps?: { afterWorkingDays: number; to: string }[];
  approvalRequired?: boolean;
}>;
export type DirectiveRef = Readonly<{
  directiveId: string;
  number: string;
  kind: string;
  title: string;
  issuerUnitId: string;
  status: string;
  documentDate: string;
}>;
export type DirectiveView = DirectiveRef &
  Readonly<{
    issuingBody: string;
    place?: string;
    purpose?: string;
    basisDirectiveId: string | null;
    period: { from: string; to: string };
    issuedAt: string | null;
    signedBy: string | null;
    amendments: { at: string; reason: string }[];
    targets: (TargetDefinition & { inheritedFrom?: string })[];
    tasks: Task[];
    schedule: Schedule | null;
    counts: {
      assignees: number;
      acknowledged: number;
      notAcknowledged: number;
      implementing: number;
      notImplementing: number;
      completed: number;
      cancelled: number;
    } | null;
    childDirectives: Page<DirectiveRef>;
  }>;

export type AssignmentView = Readonly<{
  unitId: string;
  unitName: string;
  unitLevel: string;
  status: string;
  acknowledgedAt: string | null;
  implementingDirectiveId: string | null;
  implementingAt: string | null;
}>;

export type StreamEvent = Readonly<{
  position: number;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  /** A saga acts without a unit (`system:…`). */
  metadata: { actor: { userId: string; unitId?: string }; occurredAt: string };
  recordedAt: string;
}>;
export type StreamPage = Readonly<{ streamId: string; revision: number; events: StreamEvent[] }>;
