import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { catalystApiRef, type CatalystCatalogData } from '../../api';
import { wizardFormData, type RegionValue } from '../wizardForm';
import { regionLabelsFor, wizardSchemaErrors } from '../wizardRules';

/** The typed worker count as a number: NaN for an empty or non-numeric text (refused, never guessed). */
export function parseWorkerCount(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** Why a worker count is refused, naming the catalog's range; undefined when it is allowed. */
export function workerCountError(
  count: number,
  countMin: number,
  countMax: number,
): string | undefined {
  const range = `from ${countMin} to ${countMax}`;
  if (count === null || !Number.isFinite(count))
    return `Enter the number of worker nodes, ${range}`;
  if (!Number.isInteger(count))
    return `${count} is not a whole number; worker nodes go ${range}`;
  if (count < countMin)
    return `${count} worker nodes is below the minimum of ${countMin}; worker nodes go ${range}`;
  if (count > countMax)
    return `${count} worker nodes is above the maximum of ${countMax}; worker nodes go ${range}`;
  return undefined;
}

type RegionFieldErrors = Partial<Record<keyof RegionValue, string>>;

/** Per-field problems of one region card (docs/wizard.md §3), shown next to the field. */
export function regionErrors(
  data: CatalystCatalogData,
  region: RegionValue,
): RegionFieldErrors {
  const errors: RegionFieldErrors = {};
  const providers = data.nodeSizes.providers as Record<
    string,
    (typeof data.nodeSizes.providers)['hetzner'] | undefined
  >;
  const provider = providers[region.provider];
  if (!region.provider) errors.provider = 'Choose a provider';
  else if (!provider) errors.provider = `Unknown provider "${region.provider}"`;
  if (!provider) return errors;
  if (!region.cloudRegion) errors.cloudRegion = 'Choose a cloud region';
  else if (!provider.regions.some(r => r.id === region.cloudRegion)) {
    errors.cloudRegion = `${region.cloudRegion} is not a ${provider.name} region`;
  }
  if (!region.controlPlaneSize)
    errors.controlPlaneSize = 'Choose a control-plane size';
  else if (!provider.skus.some(s => s.id === region.controlPlaneSize)) {
    errors.controlPlaneSize = `${region.controlPlaneSize} is not a ${provider.name} size`;
  }
  const { countMin, countMax } = data.nodeSizes.workers;
  const countError = workerCountError(region.workerCount, countMin, countMax);
  if (countError) errors.workerCount = countError;
  if (region.workerCount > 0) {
    if (!region.workerSize) errors.workerSize = 'Choose a worker size';
    else if (!provider.skus.some(s => s.id === region.workerSize)) {
      errors.workerSize = `${region.workerSize} is not a ${provider.name} size`;
    }
  }
  return errors;
}

export const regionSizingValidation: CustomFieldValidator<
  RegionValue[]
> = async (value, validation, { apiHolder, formData }) => {
  const api = apiHolder.get(catalystApiRef);
  if (!api) return;
  const data = await api.getCatalogData();
  const regions = value ?? [];
  const topology = wizardFormData({ formData }).topology;
  const labels = topology ? regionLabelsFor(topology) : [];
  const errors: string[] = [];
  if (regions.length !== labels.length) {
    errors.push(
      `The topology needs ${labels.length} region card${
        labels.length === 1 ? '' : 's'
      }, found ${regions.length}`,
    );
  }
  regions.forEach((region, i) => {
    for (const message of Object.values(regionErrors(data, region))) {
      errors.push(`${labels[i] ?? `Region ${i + 1}`}: ${message}`);
    }
  });
  if (!errors.length) {
    errors.push(
      ...wizardSchemaErrors(data, 'provider', 'regions', regions, 'Regions'),
    );
  }
  for (const e of errors) validation.addError(e);
};
