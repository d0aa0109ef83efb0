import { streamId } from '@app/eventstore';

/** `directive-<directiveId>` */
export const directiveStreamId = (directiveId: string): string => streamId('directive', directiveId);

/** `assignment-<directiveId>_<unitId>` */
export const assignmentStreamId = (directiveId: string, unitId: string): string => streamId('assignment', directiveId, unitId);
