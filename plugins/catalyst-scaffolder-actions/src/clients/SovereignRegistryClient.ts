import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { SovereignRegistryClient as RegistryClient } from '@catalyst/plugin-catalyst-common';
import { PluginApiClient } from '@catalyst/plugin-catalyst-node';

/**
 * The shared Sovereign registry client (`/api/catalyst/v1/sovereigns`, docs/api-contracts.md) as the scaffolder
 * uses it: authenticated as the scaffolder's own service through the backend fetch of {@link PluginApiClient}.
 */
export class SovereignRegistryClient extends RegistryClient {
  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    timeoutMs?: number;
  }) {
    super(
      new PluginApiClient({
        ...options,
        pluginId: 'catalyst',
        serviceName: 'Sovereign registry',
      }),
    );
  }
}
