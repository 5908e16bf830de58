import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  alwaysIncludedComponents,
  closeSelection,
  selectionInstallationProblems,
  type ComponentCatalog,
} from '@catalyst/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { wizardSchemaErrors } from '../wizardRules';

/** The Blueprint entity page a component card links to. */
export function blueprintEntityPath(componentId: string): string {
  return `/catalog/default/blueprint/bp-${componentId}`;
}

/** Problems with a selection, worded for the user; empty when the server would accept it. */
export function componentSelectionErrors(
  catalog: ComponentCatalog,
  selection: readonly string[],
): string[] {
  const errors: string[] = [];
  let closed: string[];
  const known = selection.filter(id =>
    catalog.components.some(c => c.id === id),
  );
  errors.push(...selectionInstallationProblems(catalog, known));
  try {
    closed = closeSelection(catalog, selection);
  } catch (e) {
    return [(e as Error).message];
  }
  const missingAlways = alwaysIncludedComponents(catalog).filter(
    id => !selection.includes(id),
  );
  if (missingAlways.length) {
    errors.push(
      `Always-included components missing: ${missingAlways.join(', ')}`,
    );
  }
  const missingDeps = closed.filter(
    id => !selection.includes(id) && !missingAlways.includes(id),
  );
  if (missingDeps.length) {
    errors.push(`Missing dependencies: ${missingDeps.join(', ')}`);
  }
  return errors;
}

export const componentMarketplaceValidation: CustomFieldValidator<
  string[]
> = async (value, validation, { apiHolder }) => {
  const api = apiHolder.get(catalystApiRef);
  if (!api) return;
  const data = await api.getCatalogData();
  const errors = componentSelectionErrors(data.components, value ?? []);
  if (!errors.length) {
    errors.push(
      ...wizardSchemaErrors(
        data,
        'components',
        'components',
        value,
        'Components',
      ),
    );
  }
  for (const e of errors) validation.addError(e);
};
