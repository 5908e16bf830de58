import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { catalystApiRef, type CatalystCatalogData } from '../api';

export type CatalogDataState =
  | { loading: true; data?: undefined; error?: undefined }
  | { loading: false; data: CatalystCatalogData; error?: undefined }
  | { loading: false; data?: undefined; error: Error };

/** Loads the component and node-size catalogs once per page through the Catalyst client's cache. */
export function useCatalogData(): CatalogDataState {
  const catalystApi = useApi(catalystApiRef);
  const [state, setState] = useState<CatalogDataState>({ loading: true });
  useEffect(() => {
    let active = true;
    catalystApi.getCatalogData().then(
      data => active && setState({ loading: false, data }),
      error => active && setState({ loading: false, error }),
    );
    return () => {
      active = false;
    };
  }, [catalystApi]);
  return state;
}
