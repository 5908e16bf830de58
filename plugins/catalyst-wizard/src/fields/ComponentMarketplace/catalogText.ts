import {
  addComponent,
  type Component,
  type ComponentCatalog,
} from '@catalyst/plugin-catalyst-common';

/** Up to five component names, then "and N more". */
export function names(catalog: ComponentCatalog, ids: string[]): string {
  const shown = ids
    .slice(0, 5)
    .map(id => catalog.components.find(c => c.id === id)?.name ?? id);
  const more = ids.length > 5 ? ` and ${ids.length - 5} more` : '';
  return `${shown.join(', ')}${more}`;
}

/** Matches the search text against name, id, description, family name and family subtitle. */
export function matches(
  catalog: ComponentCatalog,
  c: Component,
  query: string,
) {
  if (!query) return true;
  const family = catalog.families.find(f => f.id === c.family);
  const haystack = [
    c.name,
    c.id,
    c.description,
    family?.name ?? '',
    family?.subtitle ?? '',
  ]
    .join(' ')
    .toLowerCase();
  return haystack.includes(query.trim().toLowerCase());
}

const euro = (v: number) =>
  new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' }).format(
    v,
  );

/** What switching on a suite member brings, said on its card before the switch is flipped. */
export interface SuiteNote {
  /** `Brings the CORTEX suite: 4 components, +€0.00/month`. */
  headline: string;
  /** Which components, and why the monthly estimate does not move. */
  detail: string;
}

/**
 * The suite rule (a family with cascadeOnMemberSelection: selecting one member selects the whole family) as the
 * card of a member announces it. The cost delta is the change of the wizard's monthly estimate, which prices
 * machines only: the suite adds no machine, it runs on the workers sized on the Provider page.
 */
export function suiteNote(
  catalog: ComponentCatalog,
  selection: readonly string[],
  c: Component,
  workers: string,
): SuiteNote | undefined {
  const family = catalog.families.find(f => f.id === c.family);
  if (!family?.cascadeOnMemberSelection || selection.includes(c.id)) {
    return undefined;
  }
  const preview = addComponent(catalog, [...selection], c.id);
  const others = preview.added.filter(a => a.id !== c.id).map(a => a.id);
  if (others.length === 0) return undefined;
  const count = others.length + 1;
  const leftOut = preview.skipped.length
    ? ` Not installable yet, so left out: ${names(
        catalog,
        preview.skipped.map(s => s.id),
      )}.`
    : '';
  return {
    headline: `Brings the ${family.name} suite: ${count} component${
      count === 1 ? '' : 's'
    }, +${euro(0)}/month`,
    detail: `Adds ${names(catalog, others)} with ${
      c.name
    }.${leftOut} The estimate prices machines; the suite runs on ${workers}.`,
  };
}
