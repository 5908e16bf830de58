import { useEffect, useRef } from 'react';
import type { CatalystCatalogData } from '../../api';
import { consumeTopologyChange } from '../topologyChange';
import type { RegionValue, TopologyValue } from '../wizardForm';
import { seedRegion } from '../wizardRules';

/**
 * Keeps one region card per region of the chosen topology: the first visit and a topology change seed every card
 * afresh; toggling AIR-GAP keeps the other cards and adds or drops the isolated one at the end.
 */
export function useRegionCards(options: {
  data: CatalystCatalogData | undefined;
  topology: TopologyValue | undefined;
  regionCount: number;
  headquarters: string;
  regions: RegionValue[] | undefined;
  onChange: (regions: RegionValue[]) => void;
}) {
  const { data, topology, regionCount, headquarters, regions, onChange } =
    options;
  const checkedTopologyChange = useRef(false);
  useEffect(() => {
    if (!data || !topology) return;
    const changed = !checkedTopologyChange.current && consumeTopologyChange();
    checkedTopologyChange.current = true;
    const current = changed ? [] : regions ?? [];
    const main = current.filter(r => !r.airgap);
    const mainCount = regionCount - (topology.airgap ? 1 : 0);
    const next: RegionValue[] = [];
    for (let i = 0; i < mainCount; i++) {
      next.push(main[i] ?? seedRegion(data, i, headquarters, false));
    }
    if (topology.airgap) {
      next.push(
        current.find(r => r.airgap) ??
          seedRegion(data, mainCount, headquarters, true),
      );
    }
    if (JSON.stringify(next) !== JSON.stringify(regions ?? [])) onChange(next);
  }, [data, topology, regions, headquarters, regionCount, onChange]);
}
