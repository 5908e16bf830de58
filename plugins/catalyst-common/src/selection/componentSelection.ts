import {
  Component,
  ComponentCatalog,
  computeAlwaysIncluded,
  computeDefaultSelection,
  dependencyClosure,
} from '../data/componentCatalog';

/**
 * Component selection rules of the wizard's Components step (data/components.yaml `rules`). Every function is
 * pure: it takes a selection and returns a new, sorted one, so the browser and the server compute the same.
 */

/** Why a component entered the selection; `via` names the component (or family) that pulled it in. */
export interface SelectionAddition {
  id: string;
  reason: 'selected' | 'dependency' | 'family';
  via?: string;
}

/** A component an addition left out because it, or something it needs, has no published Blueprint. */
export interface SelectionSkip {
  id: string;
  reason: SelectionAddition['reason'];
  via?: string;
  /** The user-facing explanation, naming what is not installable. */
  problem: string;
}

export interface SelectionAddResult {
  selection: string[];
  added: SelectionAddition[];
  /** Left out: not installable yet (the selected id itself when it is refused). */
  skipped: SelectionSkip[];
}

export type SelectionRemoveResult =
  | { selection: string[]; removed: string[] }
  | {
      refused: true;
      code: 'always-included' | 'needed-by';
      reason: string;
      neededBy: string[];
    };

/** Ids of old drafts that were renamed (docs/wizard.md: legacy aliases). */
export const LEGACY_COMPONENT_ALIASES: Readonly<Record<string, string>> =
  Object.freeze({ minio: 'seaweedfs' });

function componentById(catalog: ComponentCatalog, id: string): Component {
  const component = catalog.components.find(c => c.id === id);
  if (!component) throw new Error(`Unknown component "${id}"`);
  return component;
}

function sorted(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort();
}

/** A component is installable when a Blueprint (a chart version) is published for it. */
export function isInstallable(catalog: ComponentCatalog, id: string): boolean {
  return componentById(catalog, id).blueprint !== null;
}

/**
 * Why a component cannot be installed, or undefined when it can: it has no published Blueprint, or something
 * it needs (transitively) has none. The message names the component and what is missing.
 */
export function installationProblem(
  catalog: ComponentCatalog,
  id: string,
): string | undefined {
  const component = componentById(catalog, id);
  if (component.blueprint === null) {
    return `${component.name} is not installable yet: no Blueprint is published for it`;
  }
  const missing = dependencyClosure(catalog, component.dependsOn).filter(
    dep => !isInstallable(catalog, dep),
  );
  if (missing.length === 0) return undefined;
  const names = missing.map(dep => componentById(catalog, dep).name);
  return `${component.name} needs ${names.join(', ')}, which ${
    missing.length > 1 ? 'are' : 'is'
  } not installable yet (no published Blueprint)`;
}

/** The problems of a selection: one message per selected id that cannot be installed. */
export function selectionInstallationProblems(
  catalog: ComponentCatalog,
  ids: readonly string[],
): string[] {
  return sorted(ids)
    .filter(id => catalog.components.some(c => c.id === id))
    .map(id => installationProblem(catalog, id))
    .filter((p): p is string => p !== undefined);
}

/**
 * The ids that are always installed and can never be deselected (transitive-mandatory rule), sorted. A
 * mandatory component without a published Blueprint is not among them: it cannot be installed yet.
 */
export function alwaysIncludedComponents(catalog: ComponentCatalog): string[] {
  return computeAlwaysIncluded(catalog).filter(
    id => !installationProblem(catalog, id),
  );
}

/**
 * The initial selection: every alwaysIncluded or recommended component plus its transitive dependsOn, without
 * what cannot be installed yet (never pre-selected).
 */
export function defaultSelection(catalog: ComponentCatalog): string[] {
  return computeDefaultSelection(catalog).filter(
    id => !installationProblem(catalog, id),
  );
}

/** A family's closure: its members, the members of its familyDependencies families, and their dependsOn. */
function familyMembers(catalog: ComponentCatalog, familyId: string): string[] {
  const families = new Set<string>();
  const queue = [familyId];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (families.has(next)) continue;
    families.add(next);
    const family = catalog.families.find(f => f.id === next);
    if (!family) throw new Error(`Unknown component family "${next}"`);
    queue.push(...family.familyDependencies);
  }
  return catalog.families
    .filter(f => families.has(f.id))
    .flatMap(f => f.members);
}

/**
 * Adds the seeds and everything they pull in, in the order the rules give: each newly added id brings its
 * dependsOn; a newly added member of a cascading (non-mandatory) family brings the whole family closure.
 * Ids already in `selection` never trigger a cascade, which is why kserve (alwaysIncluded) and axon
 * (default-selected) do not pull CORTEX in on their own.
 */
function expand(
  catalog: ComponentCatalog,
  selection: Set<string>,
  seeds: SelectionAddition[],
  skipped: SelectionSkip[] = [],
): SelectionAddition[] {
  const added: SelectionAddition[] = [];
  const cascaded = new Set<string>();
  const queue = [...seeds];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (selection.has(next.id)) continue;
    const component = componentById(catalog, next.id);
    // What cannot be installed is never added, not even by a dependency or a suite; the caller says so.
    const problem = installationProblem(catalog, next.id);
    if (problem) {
      if (!skipped.some(s => s.id === next.id)) {
        skipped.push({ ...next, problem });
      }
      continue;
    }
    selection.add(next.id);
    added.push(next);
    for (const dep of component.dependsOn) {
      queue.push({ id: dep, reason: 'dependency', via: component.id });
    }
    const family = catalog.families.find(f => f.id === component.family)!;
    if (
      family.cascadeOnMemberSelection &&
      family.tier !== 'mandatory' &&
      !cascaded.has(family.id)
    ) {
      cascaded.add(family.id);
      for (const member of familyMembers(catalog, family.id)) {
        queue.push({ id: member, reason: 'family', via: component.id });
      }
    }
  }
  return added;
}

/**
 * The selection the server accepts: sorted, unique, with every alwaysIncluded id, closed under dependsOn and
 * under the cascade rule for whatever the closure pulls in. Ids listed in `ids` count as chosen (as in the
 * wizard state) and do not re-trigger a cascade, so any selection the wizard produces is a fixed point.
 * Throws on an unknown id.
 */
export function closeSelection(
  catalog: ComponentCatalog,
  ids: readonly string[],
): string[] {
  const unknown = ids.filter(id => !catalog.components.some(c => c.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown component${unknown.length > 1 ? 's' : ''}: ${unknown
        .map(u => `"${u}"`)
        .join(', ')}`,
    );
  }
  const selection = new Set([...ids, ...alwaysIncludedComponents(catalog)]);
  const seeds: SelectionAddition[] = [];
  for (const id of sorted(selection)) {
    for (const dep of componentById(catalog, id).dependsOn) {
      seeds.push({ id: dep, reason: 'dependency', via: id });
    }
  }
  expand(catalog, selection, seeds);
  return sorted(selection);
}

/** Adds one component, its transitive dependsOn and, for a cascading family, the whole family. */
export function addComponent(
  catalog: ComponentCatalog,
  selection: readonly string[],
  id: string,
): SelectionAddResult {
  componentById(catalog, id);
  const current = new Set(selection);
  const skipped: SelectionSkip[] = [];
  const added = expand(catalog, current, [{ id, reason: 'selected' }], skipped);
  return { selection: sorted(current), added, skipped };
}

/** Adds a family closure: members, members of familyDependencies families, and their dependsOn. */
export function addFamily(
  catalog: ComponentCatalog,
  selection: readonly string[],
  familyId: string,
): SelectionAddResult {
  const family = catalog.families.find(f => f.id === familyId);
  if (!family) throw new Error(`Unknown component family "${familyId}"`);
  const seeds: SelectionAddition[] = familyMembers(catalog, familyId).map(id =>
    family.members.includes(id)
      ? { id, reason: 'selected' }
      : { id, reason: 'family', via: familyId },
  );
  const current = new Set(selection);
  const skipped: SelectionSkip[] = [];
  const added = expand(catalog, current, seeds, skipped);
  return { selection: sorted(current), added, skipped };
}

function displayList(catalog: ComponentCatalog, ids: string[]): string {
  return ids.map(id => componentById(catalog, id).name).join(', ');
}

/** Selected components (outside `targets`) that transitively depend on any of `targets`. */
function selectedDependents(
  catalog: ComponentCatalog,
  selection: Set<string>,
  targets: Set<string>,
): string[] {
  return catalog.components
    .filter(c => selection.has(c.id) && !targets.has(c.id))
    .filter(c =>
      dependencyClosure(catalog, c.dependsOn).some(dep => targets.has(dep)),
    )
    .map(c => c.id)
    .sort();
}

/**
 * Removes one component. Refused when it is alwaysIncluded, or when other selected components need it
 * (directly or transitively): the product never removes a dependent silently, the user removes it first.
 */
export function removeComponent(
  catalog: ComponentCatalog,
  selection: readonly string[],
  id: string,
): SelectionRemoveResult {
  const component = componentById(catalog, id);
  if (alwaysIncludedComponents(catalog).includes(id)) {
    return {
      refused: true,
      code: 'always-included',
      reason: `${component.name} is always included and cannot be removed`,
      neededBy: [],
    };
  }
  const current = new Set(selection);
  if (!current.has(id)) return { selection: sorted(current), removed: [] };
  const neededBy = selectedDependents(catalog, current, new Set([id]));
  if (neededBy.length > 0) {
    return {
      refused: true,
      code: 'needed-by',
      reason: `${component.name} is needed by ${displayList(
        catalog,
        neededBy,
      )}; remove ${neededBy.length > 1 ? 'them' : 'it'} first`,
      neededBy,
    };
  }
  current.delete(id);
  return { selection: sorted(current), removed: [id] };
}

/**
 * Removes a family's selected members that are not alwaysIncluded (kserve survives removing CORTEX).
 * Refused when a selected component outside them still needs one of them.
 */
export function removeFamily(
  catalog: ComponentCatalog,
  selection: readonly string[],
  familyId: string,
): SelectionRemoveResult {
  const family = catalog.families.find(f => f.id === familyId);
  if (!family) throw new Error(`Unknown component family "${familyId}"`);
  const current = new Set(selection);
  const always = new Set(alwaysIncludedComponents(catalog));
  const targets = new Set(
    family.members.filter(m => current.has(m) && !always.has(m)),
  );
  if (targets.size === 0) {
    if (family.members.every(m => always.has(m))) {
      return {
        refused: true,
        code: 'always-included',
        reason: `every ${family.name} component is always included`,
        neededBy: [],
      };
    }
    return { selection: sorted(current), removed: [] };
  }
  const neededBy = selectedDependents(catalog, current, targets);
  if (neededBy.length > 0) {
    return {
      refused: true,
      code: 'needed-by',
      reason: `${family.name} components are needed by ${displayList(
        catalog,
        neededBy,
      )}; remove ${neededBy.length > 1 ? 'them' : 'it'} first`,
      neededBy,
    };
  }
  for (const id of targets) current.delete(id);
  return { selection: sorted(current), removed: sorted(targets) };
}

/**
 * Cleans ids from an old draft: maps legacy aliases (minio → seaweedfs), drops unknown ids and non-strings,
 * de-duplicates and sorts. It does not close the selection; call {@link closeSelection} for that.
 */
export function normalizeComponentIds(
  catalog: ComponentCatalog,
  ids: unknown,
): string[] {
  if (!Array.isArray(ids)) return [];
  const known = new Set(catalog.components.map(c => c.id));
  return sorted(
    ids
      .filter((id): id is string => typeof id === 'string')
      .map(id => id.trim().toLowerCase())
      .map(id => LEGACY_COMPONENT_ALIASES[id] ?? id)
      .filter(id => known.has(id)),
  );
}
