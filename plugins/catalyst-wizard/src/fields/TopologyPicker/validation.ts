import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { TOPOLOGIES } from '@catalyst/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import type { TopologyValue } from '../wizardForm';
import { wizardSchemaErrors } from '../wizardRules';

/** Problems the user can fix on the Topology page; empty when it may continue. */
export function topologyErrors(
  value: Partial<TopologyValue> | undefined,
): string[] {
  if (!value?.template) return ['Choose a topology'];
  if (!TOPOLOGIES.some(t => t.id === value.template)) {
    return [`Unknown topology "${value.template}"`];
  }
  return [];
}

export const topologyPickerValidation: CustomFieldValidator<
  TopologyValue
> = async (value, validation, { apiHolder }) => {
  const errors = topologyErrors(value);
  const api = apiHolder.get(catalystApiRef);
  if (!errors.length && api) {
    const data = await api.getCatalogData();
    errors.push(
      ...wizardSchemaErrors(data, 'topology', 'topology', value, 'Topology'),
    );
  }
  for (const e of errors) validation.addError(e);
};
