import type { CatalystCatalogData } from '../../api';
import type { RegionValue } from '../wizardForm';

/** About 20 GB of RAM is the floor for a Sovereign (docs/provisioning.md §2.3). */
export const SOVEREIGN_RAM_FLOOR_GB = 20;

/** Secrets are shown as 12 bullets and their length, never any of their characters. */
export function maskSecret(secret: string | undefined): string {
  if (!secret) return 'not set';
  return `${'•'.repeat(12)} (${secret.length} chars)`;
}

/** RAM of one region's nodes: control plane (×3 with HA) plus workers. */
export function regionRamGb(
  data: CatalystCatalogData,
  region: RegionValue,
  haEnabled: boolean,
): number | undefined {
  const provider = (
    data.nodeSizes.providers as Record<
      string,
      (typeof data.nodeSizes.providers)['hetzner']
    >
  )[region.provider];
  const cp = provider?.skus.find(s => s.id === region.controlPlaneSize);
  if (!cp) return undefined;
  const worker =
    region.workerCount > 0
      ? provider.skus.find(s => s.id === region.workerSize)
      : undefined;
  return (
    cp.memoryGb * (haEnabled ? 3 : 1) +
    (worker ? worker.memoryGb * region.workerCount : 0)
  );
}

/** Region indexes whose nodes stay below the RAM floor. */
export function regionsBelowRamFloor(
  data: CatalystCatalogData,
  regions: RegionValue[],
  haEnabled: boolean,
): number[] {
  return regions
    .map((r, i) => ({ i, ram: regionRamGb(data, r, haEnabled) }))
    .filter(x => x.ram !== undefined && x.ram < SOVEREIGN_RAM_FLOOR_GB)
    .map(x => x.i);
}

/** The selected components grouped by family, in catalog order. */
export function componentsByFamily(
  data: CatalystCatalogData,
  selection: string[],
): { family: string; names: string[] }[] {
  return data.components.families
    .map(f => ({
      family: f.name,
      names: data.components.components
        .filter(c => c.family === f.id && selection.includes(c.id))
        .map(c => c.name),
    }))
    .filter(g => g.names.length > 0);
}
