import { streamId } from '@app/eventstore';

/** The one place the unit stream's name is built: `unit-<unitId>`. */
export const UNIT_STREAM_CATEGORY = 'unit';

export const unitStreamId = (unitId: string): string => streamId(UNIT_STREAM_CATEGORY, unitId);
