import { query } from './api';
import { h } from './dom';
import type { DirectiveView, UnitRef, UnitView } from './types';

/**
 * Names of units and directives already seen on some page, so tables can say "Bản Qua" rather
 * than "LCI-BX-01". A unit the user may not read (above their own) is named from their ancestors.
 */
const units = new Map<string, string>();
const directives = new Map<string, Pick<DirectiveView, 'number' | 'title'>>();

export const rememberUnits = (list: readonly Pick<UnitRef, 'unitId' | 'name'>[]): void => {
  for (const u of list) units.set(u.unitId, u.name);
};

export const rememberUnit = (unit: UnitView): void => rememberUnits([unit, ...unit.ancestors, ...unit.children.items]);

export const unitName = (unitId: string): string => units.get(unitId) ?? unitId;

/** The unit's name with its code beside it, muted. */
export const unitLabel = (unitId: string): HTMLElement =>
  units.has(unitId)
    ? h('span', {}, units.get(unitId), ' ', h('span', { class: 'code' }, unitId))
    : h('span', { class: 'code' }, unitId);

export const loadUnit = async (unitId: string): Promise<UnitView> => {
  const unit = await query<UnitView>(`/units/${encodeURIComponent(unitId)}`);
  rememberUnit(unit);
  return unit;
};

export const rememberDirective = (d: Pick<DirectiveView, 'directiveId' | 'number' | 'title'>): void => {
  directives.set(d.directiveId, { number: d.number, title: d.title });
};

export const directiveNumber = (directiveId: string): string => directives.get(directiveId)?.number ?? directiveId;

export const loadDirective = async (directiveId: string): Promise<DirectiveView> => {
  const directive = await query<DirectiveView>(`/directives/${encodeURIComponent(directiveId)}`);
  rememberDirective(directive);
  return directive;
};

const tried = new Set<string>();

/** Looks up the names of units not seen yet (once each; a unit the user may not read keeps its code). */
export const ensureUnits = async (unitIds: readonly string[]): Promise<void> => {
  const missing = [...new Set(unitIds)].filter((id) => !units.has(id) && !tried.has(id));
  for (const id of missing) tried.add(id);
  await Promise.all(
    missing.map((id) =>
      query<UnitView>(`/units/${encodeURIComponent(id)}`)
        .then((unit) => units.set(unit.unitId, unit.name))
        .catch(() => undefined),
    ),
  );
};

/** Looks up the numbers and titles of directives not seen yet. */
export const ensureDirectives = async (directiveIds: readonly string[]): Promise<void> => {
  const missing = [...new Set(directiveIds)].filter((id) => !directives.has(id) && !tried.has(`d:${id}`));
  for (const id of missing) tried.add(`d:${id}`);
  await Promise.all(missing.map((id) => loadDirective(id).catch(() => undefined)));
};
