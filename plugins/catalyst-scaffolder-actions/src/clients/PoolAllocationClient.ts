import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { PdmClient } from '@catalyst/plugin-catalyst-common';
import { PluginApiClient } from '@catalyst/plugin-catalyst-node';

/** The PDM wire types, from the shared contract and client (docs/api-contracts.md). */
export type {
  ByoZone,
  Dns01Key,
  Dns01Setup,
  NameserverUpdate,
  PdmActor,
  PoolCommitResult,
  PoolReleaseProof,
  PoolReservation,
  PublishedDnsRecord,
  SubdomainCheck,
} from '@catalyst/plugin-catalyst-common';

/**
 * The shared PDM client (`/api/pdm`, docs/pdm.md §2 and §7) as the scaffolder uses it: pool reservations, BYO
 * zones and the registrar NS flip, authenticated as the scaffolder's own service through the backend fetch of
 * {@link PluginApiClient}.
 */
export class PoolAllocationClient extends PdmClient {
  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    timeoutMs?: number;
  }) {
    super(
      new PluginApiClient({ ...options, pluginId: 'pdm', serviceName: 'PDM' }),
    );
  }
}
