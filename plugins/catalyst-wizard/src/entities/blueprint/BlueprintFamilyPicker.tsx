import { useEffect } from 'react';
import { Entity } from '@backstage/catalog-model';
import {
  DefaultEntityFilters,
  EntityAutocompletePicker,
  EntityFilter,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import { blueprintSpec } from '../catalystEntities';

/** Narrows the catalog index to Blueprints of the chosen families (`spec.family`). */
export class BlueprintFamilyFilter implements EntityFilter {
  constructor(readonly values: string[]) {}

  getCatalogQuery() {
    if (this.values.length === 0) return undefined;
    return { 'spec.family': { $in: this.values } };
  }

  filterEntity(entity: Entity): boolean {
    const family = blueprintSpec(entity).family;
    return family !== undefined && this.values.includes(family);
  }

  toQueryValue(): string[] {
    return this.values;
  }
}

export type BlueprintFamilyFilters = DefaultEntityFilters & {
  family?: BlueprintFamilyFilter;
};

/**
 * The "Family" picker of the catalog index. It only shows while the Kind picker is on Blueprint, and it
 * drops its filter when the kind changes, so it never hides entities of another kind.
 */
export function BlueprintFamilyPicker() {
  const { filters, updateFilters } = useEntityList<BlueprintFamilyFilters>();
  const isBlueprint =
    filters.kind?.value?.toLocaleLowerCase('en-US') === 'blueprint';
  const hasFamily = Boolean(filters.family);

  useEffect(() => {
    if (!isBlueprint && hasFamily) updateFilters({ family: undefined });
  }, [isBlueprint, hasFamily, updateFilters]);

  if (!isBlueprint) return null;
  return (
    <EntityAutocompletePicker<BlueprintFamilyFilters, 'family'>
      label="Family"
      name="family"
      path="spec.family"
      Filter={BlueprintFamilyFilter}
      showCounts
    />
  );
}
