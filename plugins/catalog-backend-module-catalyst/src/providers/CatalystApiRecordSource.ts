import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ApiTransport } from '@catalyst/plugin-catalyst-common';
import { PluginApiClient } from '@catalyst/plugin-catalyst-node';
import { z } from 'zod/v3';

/** Where a provider reads the full set of records for a resync. */
export interface RecordSource<R> {
  list(): Promise<R[]>;
}

/**
 * Reads `{items: [...]}` from a catalyst-backend route with the catalog's own service credentials. Each item
 * is validated; an invalid one is skipped with a warning rather than poisoning the whole resync.
 */
export class CatalystApiRecordSource<R> implements RecordSource<R> {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      /** Path under the catalyst plugin, e.g. `/v1/sovereigns`. */
      path: string;
      schema: z.ZodType<R>;
      /**
       * Treat 404 as "no records": for a store that is not installed yet. The resync then publishes nothing
       * instead of failing every time.
       */
      notFoundMeansEmpty?: boolean;
      timeoutMs?: number;
    },
  ) {}

  async list(): Promise<R[]> {
    const { discovery, auth, logger, path, schema } = this.options;
    // The shared transport over the backend fetch: the catalog's own service token, a timeout, network retries
    // and failed answers as @backstage/errors types (docs/api-contracts.md).
    const api = new ApiTransport({
      ...new PluginApiClient({
        discovery,
        auth,
        pluginId: 'catalyst',
        serviceName: 'catalyst',
        timeoutMs: this.options.timeoutMs ?? 60_000,
      }),
      pluginId: 'catalyst',
      serviceName: 'catalyst',
    });
    const response = await api.request<{ items?: unknown }>('GET', path, {
      accept: this.options.notFoundMeansEmpty ? [404] : [],
    });
    if (response.status === 404) {
      logger.debug(
        `catalyst ${path} answered 404: the store is not available, publishing no records`,
      );
      return [];
    }
    const body = response.body;
    if (!Array.isArray(body?.items)) {
      throw new Error(`catalyst ${path} did not answer {items: [...]}`);
    }
    const records: R[] = [];
    for (const item of body.items) {
      const parsed = schema.safeParse(item);
      if (parsed.success) {
        records.push(parsed.data);
      } else {
        logger.warn(
          `Skipping an invalid record from catalyst ${path}: ${parsed.error.issues
            .map(i => `${i.path.join('.')}: ${i.message}`)
            .join('; ')}`,
        );
      }
    }
    return records;
  }
}
