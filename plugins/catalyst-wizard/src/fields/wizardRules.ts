/**
 * The one place where the wizard's fields meet the shared model in `@catalyst/plugin-catalyst-common`: topology
 * facts, HQ hints, region defaults, the cost rollup and the zod page schemas the server re-validation also uses.
 */
import {
  clampWorkerCount as clampWorkers,
  createWizardSchemas,
  defaultRegion,
  estimateCost,
  hqHint,
  isTopologyTemplate,
  regionForProvider,
  regionLabelsFor as topologyRegionLabels,
  type CloudProvider,
  type CostEstimate,
} from '@catalyst/plugin-catalyst-common';
import type { CatalystCatalogData } from '../api';
import type { RegionValue, TopologyValue } from './wizardForm';

/** Card labels in index order; the AIR-GAP card is last when the add-on is on. */
export function regionLabelsFor(topology: TopologyValue): string[] {
  if (!isTopologyTemplate(topology.template)) return [];
  return topologyRegionLabels(topology.template, !!topology.airgap);
}

export function hqHintFor(headquarters: string) {
  return hqHint(headquarters);
}

/** First-visit values of card `index` (docs/wizard.md §3). */
export function seedRegion(
  data: CatalystCatalogData,
  index: number,
  headquarters: string,
  airgap: boolean,
): RegionValue {
  return defaultRegion(data, index, headquarters, { airgap });
}

/** Changing a card's provider re-seeds its region, sizes and worker count. */
export function reseedForProvider(
  data: CatalystCatalogData,
  region: RegionValue,
  index: number,
  headquarters: string,
  provider: string,
): RegionValue {
  return regionForProvider(
    data,
    provider as CloudProvider,
    index,
    headquarters,
    {
      airgap: region.airgap,
    },
  );
}

/** Floors and clamps typed input to the catalog's worker range (0–50). */
export function clampWorkerCount(
  data: CatalystCatalogData,
  raw: string | number,
): number {
  return clampWorkers(data.nodeSizes, raw === '' ? NaN : Number(raw));
}

export function costOf(
  data: CatalystCatalogData,
  regions: RegionValue[],
  haEnabled: boolean,
): CostEstimate {
  return estimateCost(
    data.nodeSizes,
    regions.map(r => ({ ...r, provider: r.provider as CloudProvider })),
    { haEnabled },
  );
}

/** The part of a zod schema the wizard uses; the page schemas come from the common package. */
type ParameterSchema = {
  safeParse(value: unknown):
    | { success: true }
    | {
        success: false;
        error: { issues: { path: (string | number)[]; message: string }[] };
      };
};

type WizardPage = Exclude<
  keyof ReturnType<typeof createWizardSchemas>,
  'parameters' | 'secrets' | 'region'
>;

const schemaCache = new WeakMap<
  CatalystCatalogData,
  ReturnType<typeof createWizardSchemas>
>();

/**
 * Runs the shared zod schema of one parameter, the same schema the server-side re-validation runs, and words
 * each issue as "<label> <message>", so the browser blocks Next for exactly what the server would refuse.
 */
export function wizardSchemaErrors(
  data: CatalystCatalogData,
  page: WizardPage,
  key: string,
  value: unknown,
  label: string,
): string[] {
  let schemas = schemaCache.get(data);
  if (!schemas) {
    schemas = createWizardSchemas(data);
    schemaCache.set(data, schemas);
  }
  const shape = schemas[page].shape as Record<string, ParameterSchema>;
  const result = shape[key]?.safeParse(value);
  if (!result || result.success) return [];
  return result.error.issues.map(issue => {
    const path = issue.path.length ? ` (${issue.path.join('.')})` : '';
    return `${label}${path} ${issue.message}`;
  });
}
