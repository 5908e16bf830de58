import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { TOPOLOGIES } from '@catalyst/plugin-catalyst-common';
import type { TopologyValue } from '../wizardForm';

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

export const topologyPickerValidation: CustomFieldValidator<TopologyValue> = (
  value,
  validation,
) => {
  const errors = topologyErrors(value);
  for (const e of errors) validation.addError(e);
};
