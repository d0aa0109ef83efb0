import { type Actor, type Decider, assertNever } from '@app/kernel';
import type {
  AcknowledgeAssignment,
  AssignDirective,
  AssignmentCommand,
  CancelAssignment,
  CompleteAssignment,
  RecordImplementingDirective,
} from './assignment.commands';
import {
  AssignmentAlreadyCompleted,
  AssignmentCancelledError,
  AssignmentInvalid,
  AssignmentNotFound,
  AssignmentNotIssuer,
  AssignmentReasonRequired,
  AssignmentWrongUnit,
} from './assignment.errors';
import type { AssignmentAcknowledged, AssignmentEvent, DirectiveAssigned } from './assignment.events';
import { MAX_TEXT_LENGTH, isNonBlank } from './field-checks';

type Assignment = DirectiveAssigned['data'];

export type AssignmentState =
  | Readonly<{ status: 'none' }>
  | Readonly<{ status: 'assigned'; assignment: Assignment }>
  | Readonly<{
      status: 'acknowledged';
      assignment: Assignment;
      acknowledgedBy: string;
      acknowledgedAt: string;
      implementingDirectiveIds: readonly string[];
    }>
  | Readonly<{ status: 'completed'; assignment: Assignment; implementingDirectiveIds: readonly string[] }>
  | Readonly<{ status: 'cancelled'; assignment: Assignment; reason: string }>;

export const initialAssignmentState = (): AssignmentState => ({ status: 'none' });

export const evolveAssignment = (state: AssignmentState, event: AssignmentEvent): AssignmentState => {
  switch (event.type) {
    case 'DirectiveAssigned':
      return { status: 'assigned', assignment: event.data };
    case 'AssignmentAcknowledged':
      if (state.status !== 'assigned') return state;
      return {
        status: 'acknowledged',
        assignment: state.assignment,
        acknowledgedBy: event.data.by,
        acknowledgedAt: event.data.at,
        implementingDirectiveIds: [],
      };
    case 'ImplementingDirectiveIssued':
      if (state.status !== 'acknowledged') return state;
      return { ...state, implementingDirectiveIds: [...state.implementingDirectiveIds, event.data.childDirectiveId] };
    case 'AssignmentCompleted':
      if (state.status !== 'acknowledged' && state.status !== 'assigned') return state;
      return {
        status: 'completed',
        assignment: state.assignment,
        implementingDirectiveIds: state.status === 'acknowledged' ? state.implementingDirectiveIds : [],
      };
    case 'AssignmentCancelled':
      return state.status === 'none' ? state : { status: 'cancelled', assignment: state.assignment, reason: event.data.reason };
    default:
      return assertNever(event);
  }
};

const isSystem = (actor: Actor): boolean => actor.userId.startsWith('system:');
/** The assignee itself, or a saga acting for the engine. */
const actsFor = (actor: Actor, ...unitIds: string[]): boolean =>
  isSystem(actor) || (actor.unitId !== undefined && unitIds.includes(actor.unitId));

type Live = Exclude<AssignmentState, { status: 'none' } | { status: 'cancelled' }>;

/** The assignment, if it exists and is not cancelled. */
const requireLive = (state: AssignmentState, ref: { directiveId: string; unitId: string }): Live => {
  if (state.status === 'none') throw new AssignmentNotFound(ref);
  if (state.status === 'cancelled') throw new AssignmentCancelledError(ref);
  return state;
};

const acknowledged = ({ metadata }: AssignmentCommand): AssignmentAcknowledged => ({
  type: 'AssignmentAcknowledged',
  data: { by: metadata.actor.userId, at: metadata.now.toISOString() },
});

const assign = (command: AssignDirective, state: AssignmentState): AssignmentEvent[] => {
  const { data, metadata } = command;
  if (!actsFor(metadata.actor, data.issuerUnitId)) throw new AssignmentNotIssuer(data, metadata.actor.unitId);
  if (state.status === 'cancelled') throw new AssignmentCancelledError(data);
  if (state.status !== 'none') return [];
  const { directiveId, unitId, issuerUnitId } = data;
  return [{ type: 'DirectiveAssigned', data: { directiveId, unitId, issuerUnitId, assignedAt: metadata.now.toISOString() } }];
};

/** Acknowledging twice is a no-op, and so is acknowledging what is already completed. */
const acknowledge = (command: AcknowledgeAssignment, state: AssignmentState): AssignmentEvent[] => {
  const live = requireLive(state, command.data);
  if (!actsFor(command.metadata.actor, command.data.unitId))
    throw new AssignmentWrongUnit(command.data, command.metadata.actor.unitId);
  return live.status === 'assigned' ? [acknowledged(command)] : [];
};

/**
 * Issuing an implementing directive is the strongest proof of receipt, so when the unit skipped
 * the acknowledgement, it is recorded first: read models then need only one rule ("acknowledged").
 */
const recordImplementing = (command: RecordImplementingDirective, state: AssignmentState): AssignmentEvent[] => {
  const { data, metadata } = command;
  const live = requireLive(state, data);
  if (!actsFor(metadata.actor, data.unitId)) throw new AssignmentWrongUnit(data, metadata.actor.unitId);
  if (!isNonBlank(data.childDirectiveId) || data.childDirectiveId.length > MAX_TEXT_LENGTH)
    throw new AssignmentInvalid('childDirectiveId', 'is required');
  if (live.status !== 'assigned' && live.implementingDirectiveIds.includes(data.childDirectiveId)) return [];
  if (live.status === 'completed') throw new AssignmentAlreadyCompleted(data);
  const issued: AssignmentEvent = {
    type: 'ImplementingDirectiveIssued',
    data: { childDirectiveId: data.childDirectiveId, at: metadata.now.toISOString() },
  };
  return live.status === 'assigned' ? [acknowledged(command), issued] : [issued];
};

/** The assignee or its issuer closes the work; completing implies receipt, as above. */
const complete = (command: CompleteAssignment, state: AssignmentState): AssignmentEvent[] => {
  const { data, metadata } = command;
  const live = requireLive(state, data);
  if (!actsFor(metadata.actor, data.unitId, live.assignment.issuerUnitId))
    throw new AssignmentWrongUnit(data, metadata.actor.unitId);
  const completed: AssignmentEvent = {
    type: 'AssignmentCompleted',
    data: { by: metadata.actor.userId, at: metadata.now.toISOString() },
  };
  switch (live.status) {
    case 'assigned':
      return [acknowledged(command), completed];
    case 'acknowledged':
      return [completed];
    case 'completed':
      return [];
    default:
      return assertNever(live);
  }
};

const cancel = (command: CancelAssignment, state: AssignmentState): AssignmentEvent[] => {
  const { data, metadata } = command;
  if (state.status === 'none') throw new AssignmentNotFound(data);
  if (state.status === 'cancelled') return [];
  if (!actsFor(metadata.actor, state.assignment.issuerUnitId)) throw new AssignmentNotIssuer(data, metadata.actor.unitId);
  if (state.status === 'completed') throw new AssignmentAlreadyCompleted(data);
  if (!isNonBlank(data.reason)) throw new AssignmentReasonRequired();
  if (data.reason.length > MAX_TEXT_LENGTH)
    throw new AssignmentInvalid('reason', `must be at most ${MAX_TEXT_LENGTH} characters`);
  return [{ type: 'AssignmentCancelled', data: { reason: data.reason, at: metadata.now.toISOString() } }];
};

export const decideAssignment = (command: AssignmentCommand, state: AssignmentState): AssignmentEvent[] => {
  switch (command.type) {
    case 'AssignDirective':
      return assign(command, state);
    case 'AcknowledgeAssignment':
      return acknowledge(command, state);
    case 'RecordImplementingDirective':
      return recordImplementing(command, state);
    case 'CompleteAssignment':
      return complete(command, state);
    case 'CancelAssignment':
      return cancel(command, state);
    default:
      return assertNever(command);
  }
};

export const assignmentDecider: Decider<AssignmentCommand, AssignmentEvent, AssignmentState> = {
  initialState: initialAssignmentState,
  evolve: evolveAssignment,
  decide: decideAssignment,
};
