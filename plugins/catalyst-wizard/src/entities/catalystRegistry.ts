import { ResponseError } from '@backstage/errors';
import {
  remoteErrorOf,
  SovereignRegistryClient,
} from '@catalyst/plugin-catalyst-common';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { useAsyncValue } from './useAsyncValue';

/** One entry of a Sovereign's event history, as `GET /v1/sovereigns/:name/events` lists it. */
export interface SovereignEvent {
  time: string;
  phase: string;
  level: 'info' | 'warn' | 'error' | string;
  message: string;
}

/**
 * The registry's answer for a Sovereign's events; `found: false` when it keeps no record of it (404) or when only
 * its owning group and platform admins may read them (403, `forbidden`).
 */
export type SovereignEventHistory =
  | { found: true; events: SovereignEvent[] }
  | { found: false; events: []; forbidden?: boolean };

async function getJson(
  baseUrl: Promise<string>,
  path: string,
  fetch: typeof globalThis.fetch,
): Promise<Response> {
  const response = await fetch(`${await baseUrl}${path}`, {
    headers: { Accept: 'application/json' },
  });
  return response;
}

/** Reads the full event history of a Sovereign from the Catalyst registry, with the shared registry client. */
export function useSovereignEvents(sovereignName: string) {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useAsyncValue<SovereignEventHistory>(async () => {
    const registry = new SovereignRegistryClient({ discoveryApi, fetchApi });
    try {
      const events = await registry.listEvents(sovereignName);
      return events
        ? { found: true, events: events as SovereignEvent[] }
        : { found: false, events: [] };
    } catch (e) {
      if (remoteErrorOf(e)?.status === 403) {
        return { found: false, events: [], forbidden: true };
      }
      throw e;
    }
  }, [discoveryApi, fetchApi, sovereignName]);
}

/** Reads the catalog data the wizard uses (components, node sizes, bootstrap kit) from the Catalyst backend. */
export function useCatalystCatalogData() {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useAsyncValue<{ nodeSizes: unknown }>(async () => {
    const response = await getJson(
      discoveryApi.getBaseUrl('catalyst'),
      '/v1/catalog-data',
      fetchApi.fetch,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const body = (await response.json()) as { nodeSizes?: unknown };
    if (!body.nodeSizes) {
      throw new Error(
        'The Catalyst catalog data has no "nodeSizes": cannot estimate the cost',
      );
    }
    return { nodeSizes: body.nodeSizes };
  }, [discoveryApi, fetchApi]);
}
