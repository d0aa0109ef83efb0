// The read-model queries behind the API's read endpoints (apps/api/src/**/*.controller.ts), each as
// the controller calls it, with the parameters the dashboard (apps/web) sends. `make` picks the
// parameters for one call at a node; the call it returns runs unchanged on either read store.
import { auditTrail } from '@app/audit';
import { assignmentsOf, childDirectives, directiveById } from '@app/directives';
import { childrenAt, unitAt, unitViewAt } from '@app/org';
import type { AnyDb } from '@app/readstore';
import {
  directiveStatus,
  escalationsTo,
  listObligations,
  OFFICIAL_STATUSES,
  overdueSubordinates,
  targetAchievement,
  unitDashboard,
  unitDigest,
} from '@app/reporting';
import { DIRECTIVES, PERIODS, QUERY_DATE, QUERY_NOW } from './world';

export const LEVELS = ['central', 'province', 'district', 'commune', 'branch'] as const;
export type Level = (typeof LEVELS)[number];

/** A node of the tree the benchmark asks about, with its parent and how many children it has. */
export type Node = Readonly<{ unitId: string; level: Level; parentId: string | null; children: number }>;

export type Call = (db: AnyDb) => Promise<unknown>;

export type QueryDef = Readonly<{ name: string; endpoint: string; make: (node: Node, r: () => number) => Call }>;

const LEVEL_RANK: Record<string, number> = { central: 0, province: 1, district: 2, commune: 3, branch: 4 };

const pick = <T>(items: readonly T[], r: () => number): T => items[Math.floor(r() * items.length)];

/** A directive whose obligations reach this node (issued to its level or below). */
const directiveFor = (node: Node, r: () => number): string =>
  pick(
    DIRECTIVES.filter((d) => LEVEL_RANK[d.level] >= LEVEL_RANK[node.level]),
    r,
  ).directiveId;

const periodOf = (r: () => number): string => pick(PERIODS, r).period;

export const QUERIES: readonly QueryDef[] = [
  {
    name: 'unit with ancestors and children',
    endpoint: 'GET /units/:id',
    make: (node) => (db) => unitAt(db, node.unitId, QUERY_DATE),
  },
  {
    name: 'children, a page of 20',
    endpoint: 'GET /units/:id/children',
    make: (node, r) => {
      const page = 1 + Math.floor(r() * Math.max(1, Math.ceil(node.children / 20)));
      return async (db) => {
        await unitViewAt(db, node.unitId, QUERY_DATE);
        return childrenAt(db, node.unitId, QUERY_DATE, { page, pageSize: 20 });
      };
    },
  },
  {
    name: 'directive with child directives',
    endpoint: 'GET /directives/:id',
    make: (node, r) => {
      // The issuer's readers see every child directive; an assignee those of its own subtree.
      const directiveId = pick(['nd2', 'nd3'], r);
      const under = node.level === 'central' ? undefined : node.unitId;
      return async (db) => {
        await directiveById(db, directiveId);
        return childDirectives(db, directiveId, { pageSize: 500, ...(under && { under }) });
      };
    },
  },
  {
    name: 'assignments in subtree, filtered, page of 20',
    endpoint: 'GET /directives/:id/assignments',
    make: (node, r) => {
      const directiveId = directiveFor(node, r);
      const filter = pick([{}, { status: 'assigned' as const }, { status: 'cancelled' as const }, { notImplemented: true }], r);
      return async (db) => {
        await directiveById(db, directiveId);
        return assignmentsOf(db, directiveId, { ...filter, under: node.unitId, pageSize: 20 });
      };
    },
  },
  {
    name: 'directive status at a node',
    endpoint: 'GET /directives/:id/status',
    make: (node, r) => {
      const q = { directiveId: directiveFor(node, r), unitId: node.unitId, period: periodOf(r) };
      return (db) => directiveStatus(db, { ...q, include: 'approved', children: false });
    },
  },
  {
    name: 'directive status with drill-down',
    endpoint: 'GET /directives/:id/status?children=true',
    make: (node, r) => {
      const q = { directiveId: directiveFor(node, r), unitId: node.unitId, period: periodOf(r) };
      return (db) => directiveStatus(db, { ...q, include: pick(['approved', 'submitted'] as const, r), children: true });
    },
  },
  {
    name: 'target achievement',
    endpoint: 'GET /directives/:id/achievement',
    make: (node, r) => {
      const q = { directiveId: directiveFor(node, r), unitId: node.unitId, period: periodOf(r) };
      return (db) => targetAchievement(db, { ...q, include: 'approved', at: QUERY_NOW });
    },
  },
  {
    name: 'overdue in subtree, page of 10',
    endpoint: 'GET /obligations?officialStatus=overdue',
    make: (node, r) => {
      const page = r() < 0.8 ? 1 : 2 + Math.floor(r() * 4);
      return (db) => listObligations(db, { unitId: node.unitId, officialStatus: 'overdue', now: QUERY_NOW, page, pageSize: 10 });
    },
  },
  {
    name: 'awaiting review in subtree, page of 10',
    endpoint: 'GET /obligations?status=submitted',
    make: (node) => (db) =>
      listObligations(db, { unitId: node.unitId, status: 'submitted', now: QUERY_NOW, page: 1, pageSize: 10 }),
  },
  {
    name: 'reports of subtree by directive and period, filtered, page of 20',
    endpoint: 'GET /obligations?directiveId&period&officialStatus',
    make: (node, r) => {
      const officialStatus = pick([undefined, ...OFFICIAL_STATUSES], r);
      const q = { unitId: node.unitId, directiveId: directiveFor(node, r), period: periodOf(r) };
      const page = r() < 0.8 ? 1 : 2 + Math.floor(r() * 4);
      return (db) => listObligations(db, { ...q, ...(officialStatus && { officialStatus }), now: QUERY_NOW, page, pageSize: 20 });
    },
  },
  {
    name: "a unit's dashboard",
    endpoint: 'GET /units/:id/dashboard',
    make: (node) => (db) => unitDashboard(db, node.unitId, QUERY_NOW),
  },
  {
    name: "a unit's digest",
    endpoint: 'GET /units/:id/digest',
    make: (node) => (db) => unitDigest(db, node.unitId, QUERY_NOW),
  },
  {
    name: 'escalations to a unit and its overdue subordinates',
    endpoint: 'GET /escalations',
    make: (node, r) => {
      const state = r() < 0.8 ? ('open' as const) : ('all' as const);
      return async (db) => [await escalationsTo(db, node.unitId, state), await overdueSubordinates(db, node.unitId, QUERY_NOW)];
    },
  },
  {
    name: "audit: a report's history (CSV export)",
    endpoint: 'GET /audit?directiveId&unitId&period',
    make: (node, r) => {
      const f = { directiveId: directiveFor(node, r), unitId: node.unitId, period: periodOf(r), limit: 10000 };
      return (db) => auditTrail(db, f);
    },
  },
  {
    name: 'audit: a unit, first page',
    endpoint: 'GET /audit?unitId',
    make: (node) => (db) => auditTrail(db, { unitId: node.unitId, limit: 100 }),
  },
  {
    name: 'audit: an actor in a directive, first page',
    endpoint: 'GET /audit?directiveId&actorUser',
    make: (node, r) => {
      // Officers act on their own unit's streams; leaders review their children's reports.
      const actorUser = node.level === 'branch' || r() < 0.5 ? `officer.${node.unitId}` : `leader.${node.unitId}`;
      const f = { directiveId: directiveFor(node, r), actorUser, limit: 100 };
      return (db) => auditTrail(db, f);
    },
  },
];
