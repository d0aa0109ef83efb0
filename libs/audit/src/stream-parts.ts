/** What a stream id says about the directive, unit and period it belongs to (see each context's *.streams.ts). */
export type StreamParts = Readonly<{
  category: string;
  directiveId: string | null;
  unitId: string | null;
  period: string | null;
}>;

export const streamParts = (streamId: string): StreamParts => {
  const dash = streamId.indexOf('-');
  const category = dash < 0 ? streamId : streamId.slice(0, dash);
  const parts = dash < 0 ? [] : streamId.slice(dash + 1).split('_');
  switch (category) {
    case 'unit':
      return { category, directiveId: null, unitId: parts[0] ?? null, period: null };
    case 'directive':
      return { category, directiveId: parts[0] ?? null, unitId: null, period: null };
    case 'assignment':
      return { category, directiveId: parts[0] ?? null, unitId: parts[1] ?? null, period: null };
    case 'report':
      return { category, directiveId: parts[0] ?? null, unitId: parts[1] ?? null, period: parts[2] ?? null };
    default:
      return { category, directiveId: null, unitId: null, period: null };
  }
};
