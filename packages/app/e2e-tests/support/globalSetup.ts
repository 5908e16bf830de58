import type { FullConfig } from '@playwright/test';
import type { Server } from 'node:http';

// The same local Hetzner Cloud API the embedded default portal uses (scripts/hetzner-sandbox-api.js).
/* eslint-disable @backstage/no-relative-monorepo-imports */
const { startHetznerSandboxApi } =
  require('../../../../scripts/hetzner-sandbox-api.js') as {
    startHetznerSandboxApi(options: {
      port: number;
      acceptedTokens: string[];
    }): Promise<Server>;
  };

/**
 * Starts the local upstream APIs the portal under test is configured to call (scripts/lib/portal.sh sets
 * `catalyst.providers.hetzner.apiBaseUrl` to this port). Without the port variable, the tests run against a
 * portal that talks to the real upstreams.
 */
export default async function globalSetup(_config: FullConfig) {
  const port = Number(process.env.CATALYST_E2E_HETZNER_PORT);
  if (!port) return undefined;
  const server = await startHetznerSandboxApi({
    port,
    acceptedTokens: [process.env.CATALYST_E2E_HETZNER_TOKEN ?? ''],
  });
  return async () => {
    await new Promise<void>(resolve => server.close(() => resolve()));
  };
}
