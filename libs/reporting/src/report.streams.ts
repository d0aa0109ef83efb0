import { streamId } from '@app/eventstore';

/** `report-<directiveId>_<unitId>_<period>`, e.g. `report-d-1_bat-xat_2026-H1`. */
export const reportStreamId = (directiveId: string, unitId: string, period: string): string =>
  streamId('report', directiveId, unitId, period);
