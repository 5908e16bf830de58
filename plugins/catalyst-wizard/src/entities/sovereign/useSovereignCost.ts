import {
  CloudProvider,
  NodeSizeCatalog,
  NodeSku,
  estimateCost,
  findNodeSku,
  isCloudProvider,
} from '@catalyst/plugin-catalyst-common';
import { useCatalystCatalogData } from '../catalystRegistry';
import { SovereignRegion } from '../catalystEntities';
import { AsyncValue } from '../useAsyncValue';

/** A Sovereign's node cost, priced from the shared node-size catalog with the wizard's own rollup. */
export interface SovereignCost {
  /** Hourly cost per region, in the order of `topology.regions`; undefined for a provider the catalog lacks. */
  regionHourly: (number | undefined)[];
  hour: number;
  month: number;
  hoursPerMonth: number;
  /** Sizes the catalog has no price for (a retired SKU, an unknown provider); left out of the sums. */
  unpriced: string[];
  sku(provider: string, size: string): NodeSku | undefined;
  format(amount: number): string;
}

export function sovereignCost(
  nodeSizes: NodeSizeCatalog,
  regions: SovereignRegion[],
  haEnabled: boolean,
): SovereignCost {
  const sku = (provider: string, size: string) =>
    isCloudProvider(provider)
      ? findNodeSku(nodeSizes, provider, size)
      : undefined;
  const unpriced: string[] = [];
  const priced: {
    index: number;
    region: SovereignRegion & { provider: CloudProvider };
  }[] = [];
  regions.forEach((region, index) => {
    if (isCloudProvider(region.provider)) {
      priced.push({ index, region: { ...region, provider: region.provider } });
    } else {
      unpriced.push(`provider ${region.provider}`);
    }
  });
  const estimate = estimateCost(
    nodeSizes,
    priced.map(({ region }) => ({
      provider: region.provider,
      cloudRegion: region.cloudRegion,
      controlPlaneSize: region.controlPlaneSize,
      workerSize: region.workerSize ?? '',
      workerCount: region.workerCount,
    })),
    { haEnabled },
  );
  const regionHourly: (number | undefined)[] = regions.map(() => undefined);
  estimate.lines.forEach((line, i) => {
    regionHourly[priced[i].index] = line.perHour;
    if (!line.complete) {
      if (!sku(line.provider, line.controlPlaneSize)) {
        unpriced.push(`${line.provider}/${line.controlPlaneSize}`);
      }
      if (line.workerCount > 0 && !sku(line.provider, line.workerSize)) {
        unpriced.push(
          `${line.provider}/${line.workerSize || '(no worker size)'}`,
        );
      }
    }
  });
  const formatter = new Intl.NumberFormat(undefined, {
    style: 'currency',
    currency: estimate.currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return {
    regionHourly,
    hour: estimate.perHour,
    month: estimate.perMonth,
    hoursPerMonth: nodeSizes.hoursPerMonth,
    unpriced,
    sku,
    format: amount => formatter.format(amount),
  };
}

/** Prices the regions with the catalog data served by the Catalyst backend. */
export function useSovereignCost(
  regions: SovereignRegion[],
  haEnabled: boolean,
): AsyncValue<SovereignCost> {
  const data = useCatalystCatalogData();
  if (data.loading || data.error) return data;
  try {
    return {
      loading: false,
      value: sovereignCost(
        data.value.nodeSizes as NodeSizeCatalog,
        regions,
        haEnabled,
      ),
    };
  } catch (error) {
    return { loading: false, error: error as Error };
  }
}
