// The world the PostgreSQL query benchmark reads: the national hierarchy with the Lào Cai sample's
// districts, four directives of the central unit (two to every branch, one to every commune, one to
// every province, whose provinces issue their own plans), three monthly periods of each, and the
// reports, overdue marks and escalations of a dashboard in late March. Units, directives, plans and
// periods go through the application services; the per-obligation events (acknowledgements,
// reports, reviews, overdue marks, escalations) are appended in batches, as the deadline scheduler
// and thousands of officers would have written them.
import { randomUUID } from 'node:crypto';
import type { AppendRequest } from '@app/eventstore';
import { assignmentStreamId } from '@app/directives';
import type { TargetDefinition } from '@app/kernel';
import { generateNationalHierarchyCsv, readLaoCaiSampleCsv } from '@app/org';
import { reportStreamId } from '@app/reporting';
import { World } from '../commands/world';

export type WorldSize = Readonly<{ branchesPerCommune: number }>;

/** The instant the dashboard is read at: the March period is past due and escalated, April's is open. */
export const QUERY_NOW = new Date('2026-03-25T03:00:00Z');
export const QUERY_DATE = '2026-03-25';

export const PERIODS = [
  { period: '2026-02', window: { from: '2026-01-15', to: '2026-02-14' }, due: '2026-02-20T17:00:00+07:00' },
  { period: '2026-03', window: { from: '2026-02-15', to: '2026-03-14' }, due: '2026-03-20T17:00:00+07:00' },
  { period: '2026-04', window: { from: '2026-03-15', to: '2026-04-14' }, due: '2026-04-20T17:00:00+07:00' },
] as const;

/** Directive id → the level it is issued to; the query suite picks directives relevant to a node's level from this. */
export const DIRECTIVES = [
  { directiveId: 'nd0', level: 'branch' },
  { directiveId: 'nd1', level: 'branch' },
  { directiveId: 'nd2', level: 'commune' },
  { directiveId: 'nd3', level: 'province' },
] as const;

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same world. */
export const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** The Lào Cai sample's 3 districts and 9 communes under the national LCI (as the demo loads them), with branches under each commune. */
const laoCaiDistricts = (branches: number): string => {
  const lines = readLaoCaiSampleCsv()
    .trim()
    .split('\n')
    .slice(1)
    .filter((line) => !line.startsWith('TW,') && !line.startsWith('LCI,'));
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    const [code, , level] = line.split(',');
    if (level !== 'commune') continue;
    for (let b = 1; b <= branches; b++) out.push(`${code}-${String(b).padStart(2, '0')},Chi hội số ${b},branch,${code}`);
  }
  return out.join('\n');
};

const target = (targetId: string, level: string, shape: 'count_with_floor' | 'rate', value: number): TargetDefinition =>
  ({ targetId, code: `(${targetId})`, title: `Chỉ tiêu ${targetId}`, shape, measuredAtLevel: level, value }) as TargetDefinition;

const meta = (userId: string, unitId: string, occurredAt: string) => {
  const id = randomUUID();
  return {
    id,
    metadata: {
      eventId: id,
      actor: { userId, unitId },
      occurredAt,
      correlationId: 'bench-pg',
      causationId: 'bench-pg',
      schemaVersion: 1,
    },
  };
};

type Ev = { type: string; data: Record<string, unknown>; by: [string, string]; at: string };

/**
 * The events after `ReportingObligationOpened` of one obligation, by period: for the February
 * period (due 20 Feb) 70% on time, 15% late after an overdue mark and a first escalation, 15%
 * still awaited after two escalations; for March (due 20 March) 55% on time, 10% late, 35% overdue
 * and escalated to the parent; for April (not due yet) 25% in. Most reports in are approved, a few
 * returned and sent again; 0.5% are waived.
 */
const reportEvents = (
  p: number,
  unit: string,
  parent: string,
  grandparent: string | undefined,
  level: string,
  r: () => number,
): Ev[] => {
  const officer: [string, string] = [`officer.${unit}`, unit];
  const leader: [string, string] = [`leader.${parent}`, parent];
  const k = Math.floor(r() * 6);
  const values =
    level === 'branch'
      ? { t1: { kind: 'number', value: k }, t2: { kind: 'ratio', numerator: 70 + k * 5, denominator: 100 } }
      : { t1: { kind: 'number', value: k + 1 } };
  const narrative = { results: 'Đã triển khai đến hội viên', difficulties: k === 0 ? 'Thiếu kinh phí' : '', proposals: '' };
  const submit = (version: number, at: string, onTime: boolean): Ev => ({
    type: 'ReportSubmitted',
    data: { version, values, narrative, submittedAt: at, onTime },
    by: officer,
    at,
  });
  const approve = (version: number, at: string): Ev => ({ type: 'ReportApproved', data: { version }, by: leader, at });
  const overdue = (due: string, at: string): Ev => ({ type: 'ReportOverdue', data: { due }, by: ['system:deadlines', ''], at });
  const escalate = (step: number, toUnitId: string, at: string): Ev => ({
    type: 'EscalationRaised',
    data: { step, toUnitId },
    by: ['system:deadlines', ''],
    at,
  });
  const due = new Date(PERIODS[p].due).toISOString();
  const x = r();
  if (x < 0.005)
    return [{ type: 'ObligationWaived', data: { reason: 'Chi hội sáp nhập' }, by: leader, at: '2026-02-10T02:00:00.000Z' }];
  if (p === 0) {
    if (x < 0.7) {
      const y = r();
      const events = [submit(1, '2026-02-18T02:00:00.000Z', true)];
      if (y < 0.85) events.push(approve(1, '2026-02-25T02:00:00.000Z'));
      else if (y < 0.9)
        events.push(
          { type: 'ReportReturned', data: { version: 1, reason: 'Thiếu số liệu' }, by: leader, at: '2026-02-23T02:00:00.000Z' },
          submit(2, '2026-02-26T02:00:00.000Z', false),
          approve(2, '2026-03-02T02:00:00.000Z'),
        );
      return events;
    }
    if (x < 0.85) {
      const events = [
        overdue(due, '2026-02-20T10:01:00.000Z'),
        escalate(1, parent, '2026-02-24T10:00:00.000Z'),
        submit(1, '2026-02-26T02:00:00.000Z', false),
        {
          type: 'EscalationResolved',
          data: { step: 1, toUnitId: parent, by: 'submission' },
          by: officer,
          at: '2026-02-26T02:00:00.000Z',
        },
      ];
      if (r() < 0.7) events.push(approve(1, '2026-03-02T02:00:00.000Z'));
      return events;
    }
    const events = [overdue(due, '2026-02-20T10:01:00.000Z'), escalate(1, parent, '2026-02-24T10:00:00.000Z')];
    if (grandparent) events.push(escalate(2, grandparent, '2026-02-27T10:00:00.000Z'));
    return events;
  }
  if (p === 1) {
    if (x < 0.55)
      return r() < 0.6
        ? [submit(1, '2026-03-18T02:00:00.000Z', true), approve(1, '2026-03-23T02:00:00.000Z')]
        : [submit(1, '2026-03-18T02:00:00.000Z', true)];
    if (x < 0.65) return [overdue(due, '2026-03-20T10:01:00.000Z'), submit(1, '2026-03-23T02:00:00.000Z', false)];
    return [overdue(due, '2026-03-20T10:01:00.000Z'), escalate(1, parent, '2026-03-24T10:00:00.000Z')];
  }
  if (x < 0.25)
    return r() < 0.4
      ? [submit(1, '2026-03-24T02:00:00.000Z', true), approve(1, '2026-03-25T01:00:00.000Z')]
      : [submit(1, '2026-03-24T02:00:00.000Z', true)];
  return [];
};

const toRequest = (streamId: string, expectedRevision: number, events: readonly Ev[]): AppendRequest => ({
  streamId,
  expectedRevision,
  events: events.map((e) => {
    const m = meta(e.by[0], e.by[1], e.at);
    if (!e.by[1]) delete (m.metadata.actor as { unitId?: string }).unitId;
    return { id: m.id, type: e.type, data: e.data, metadata: m.metadata };
  }),
});

/** Appends in chunks of 5,000 streams. */
const appendAll = async (world: World, requests: AppendRequest[]): Promise<void> => {
  for (let i = 0; i < requests.length; i += 5000) await world.store.appendToStreams(requests.slice(i, i + 5000));
};

/** Builds the world into `file` (a SQLite event store); returns the head position and a few counts. */
export const generateWorld = async (
  file: string,
  size: WorldSize,
  log: (message: string) => void,
): Promise<{ events: number; units: number; obligations: number }> => {
  const world = new World(file, new Date('2026-01-10T02:00:00Z'));
  const csv =
    generateNationalHierarchyCsv({ branchesPerCommune: size.branchesPerCommune }) +
    laoCaiDistricts(size.branchesPerCommune) +
    '\n';
  await world.units.importCsv(world.as('admin', 'TW', ['admin']), csv, '2026-01-01');
  await world.directory.refresh();
  const units = csv.trim().split('\n').length - 1;
  log(`${units.toLocaleString('en-US')} units imported`);

  const draft = (directiveId: string, issuer: string, level: string, basis: string | null, n: number) =>
    world.directives.draft(world.as('officer', issuer, ['officer']), {
      directiveId,
      number: `${n}/KH-${issuer}`,
      kind: 'plan',
      title: `Kế hoạch ${n} của ${issuer}`,
      issuerUnitId: issuer,
      issuingBody: 'Ban Thường vụ',
      documentDate: '2026-01-05',
      basisDirectiveId: basis,
      period: { from: '2026-01-01', to: '2026-12-31' },
      targets:
        level === 'branch'
          ? [target('t1', level, 'count_with_floor', 2), target('t2', level, 'rate', 0.85)]
          : [target('t1', level, 'count_with_floor', 3)],
      schedule: { cadence: 'monthly' },
    });
  for (const [i, { directiveId, level }] of DIRECTIVES.entries()) {
    await draft(directiveId, 'TW', level, null, i + 1);
    await world.directives.issue(world.as('leader', 'TW', ['leader']), directiveId, {
      signedBy: 'Chủ tịch',
      scope: { level, underUnitId: 'TW' },
    });
  }
  // Each province acknowledges nd3 and issues its own plan to its communes (the child directives of nd3).
  const provinces = world.directory.activeDescendantsAtLevel('TW', 'province');
  for (const [i, province] of provinces.entries()) {
    const child = `nd3-${province}`;
    await world.directives.acknowledge(world.as(`officer.${province}`, province, ['officer']), 'nd3', province);
    await draft(child, province, 'commune', 'nd3', 100 + i);
    await world.directives.issue(world.as(`leader.${province}`, province, ['leader']), child, {
      signedBy: 'Chủ tịch',
      scope: { level: 'commune', underUnitId: province },
    });
    await world.directives.recordImplementing(world.as(`officer.${province}`, province, ['officer']), 'nd3', province, child);
  }
  log('directives issued');

  // Acknowledgements by a share of the assignees (nd0 80%, nd1 40%, nd2 70%).
  const r = rng(7);
  const ackShare: Record<string, number> = { nd0: 0.8, nd1: 0.4, nd2: 0.7 };
  const acks: AppendRequest[] = [];
  for (const { directiveId, level } of DIRECTIVES) {
    if (!(directiveId in ackShare)) continue;
    for (const unitId of world.directory.activeDescendantsAtLevel('TW', level)) {
      if (r() >= ackShare[directiveId]) continue;
      const by = `officer.${unitId}`;
      acks.push(
        toRequest(assignmentStreamId(directiveId, unitId), 0, [
          {
            type: 'AssignmentAcknowledged',
            data: { by, at: '2026-01-12T02:00:00.000Z' },
            by: [by, unitId],
            at: '2026-01-12T02:00:00.000Z',
          },
        ]),
      );
    }
  }
  await appendAll(world, acks);

  let obligations = 0;
  for (const [p, period] of PERIODS.entries()) {
    for (const { directiveId, level } of DIRECTIVES) {
      const opened = await world.reporting.openPeriod(world.as('officer', 'TW', ['officer']), directiveId, period);
      obligations += opened.streams;
      const requests: AppendRequest[] = [];
      for (const unitId of world.directory.activeDescendantsAtLevel('TW', level)) {
        const [parent, grandparent] = world.directory.ancestors(unitId);
        const events = reportEvents(p, unitId, parent, grandparent, level, r);
        if (events.length > 0) requests.push(toRequest(reportStreamId(directiveId, unitId, period.period), 0, events));
      }
      await appendAll(world, requests);
    }
    log(`period ${period.period} opened and reported`);
  }
  const events = await world.store.headPosition();
  await world.close();
  return { events, units, obligations };
};
