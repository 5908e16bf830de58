import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { PdmClient } from '@catalyst/plugin-catalyst-common';
import { PluginApiClient } from '@catalyst/plugin-catalyst-node';
import { z } from 'zod/v3';

/** The part of PDM's `GET /v1/delegation/{fqdn}` answer the watcher relies on (docs/pdm.md §7). */
const delegationReportSchema = z.object({
  fqdn: z.string(),
  delegated: z.boolean(),
  expected: z.array(z.string()),
  observed: z.array(z.string()),
  error: z.string().optional(),
});
export type DelegationReport = z.infer<typeof delegationReportSchema>;

/** Asks PDM whether the parent zone delegates a domain to PDM's nameservers. */
export interface DelegationSource {
  check(fqdn: string, signal?: AbortSignal): Promise<DelegationReport>;
}

/**
 * PDM's delegation check through the shared {@link PdmClient} with this plugin's own service token (PDM trusts
 * Backstage service tokens, never plain in-cluster calls: docs/pdm.md, known pitfall 8). Failed answers become
 * the shared client's errors; answers are checked.
 */
export class PdmDelegationClient implements DelegationSource {
  private readonly pdm: PdmClient;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    timeoutMs?: number;
  }) {
    this.pdm = new PdmClient(
      new PluginApiClient({ ...options, pluginId: 'pdm', serviceName: 'PDM' }),
    );
  }

  async check(fqdn: string, signal?: AbortSignal): Promise<DelegationReport> {
    const parsed = delegationReportSchema.safeParse(
      await this.pdm.delegation(fqdn, { signal }),
    );
    if (!parsed.success) {
      throw new ServiceUnavailableError(
        `PDM GET /v1/delegation/${encodeURIComponent(
          fqdn,
        )} answered an unexpected shape: ${parsed.error.issues
          .map(i => `${i.path.join('.') || '(body)'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    return parsed.data;
  }
}
