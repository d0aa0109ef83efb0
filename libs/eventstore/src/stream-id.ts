/**
 * Stream ids are `<category>-<id>`; a composite id joins its parts with `_`.
 * The first `-` separates the category, as EventStoreDB's `$by_category` expects,
 * so neither the category nor any id part may contain the separators it would confuse.
 */
const CATEGORY = /^[a-z][a-zA-Z0-9]*$/;

export const streamId = (category: string, ...idParts: string[]): string => {
  if (!CATEGORY.test(category)) throw new Error(`Invalid stream category "${category}"`);
  if (idParts.length === 0) throw new Error('A stream id needs at least one id part');
  for (const part of idParts) {
    if (part.length === 0 || part.includes('_')) {
      throw new Error(`Invalid stream id part "${part}": it must be non-empty and contain no "_"`);
    }
  }
  return `${category}-${idParts.join('_')}`;
};

export const categoryOf = (id: string): string => {
  const dash = id.indexOf('-');
  return dash < 0 ? id : id.slice(0, dash);
};
