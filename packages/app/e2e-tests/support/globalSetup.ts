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

/** The local sign-in provider's answer for each seeded user, e.g. `bob: 200`. */
async function seededUserStatuses(baseUrl: string): Promise<string[]> {
  return Promise.all(
    ['guest', 'alice', 'bob'].map(async user => {
      const res = await fetch(
        `${baseUrl}/api/auth/local/refresh?user=${user}`,
        {
          method: 'POST',
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        },
      );
      return `${user}: ${res.status}`;
    }),
  );
}

/**
 * Waits until the catalog has ingested the seeded users (catalog/org.yaml): a portal that has just started answers
 * before its first catalog pass, and the local sign-in provider resolves users through the catalog. Bounded.
 */
async function waitForSeededUsers(baseUrl: string) {
  const deadline = Date.now() + 180_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const statuses = await seededUserStatuses(baseUrl);
      if (statuses.every(status => status.endsWith(': 200'))) return;
      last = statuses.join(', ');
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise(resolve => setTimeout(resolve, 1_000));
  }
  throw new Error(
    `The portal at ${baseUrl} did not sign in the seeded users within 180 s (last answers: ${last})`,
  );
}

/**
 * Starts the local upstream APIs the portal under test is configured to call (scripts/lib/portal.sh sets
 * `catalyst.providers.hetzner.apiBaseUrl` to this port). Without the port variable, the tests run against a
 * portal that talks to the real upstreams.
 */
export default async function globalSetup(_config: FullConfig) {
  const backend =
    process.env.PLAYWRIGHT_BACKEND_URL ?? process.env.PLAYWRIGHT_URL;
  if (backend) await waitForSeededUsers(backend.replace(/\/$/, ''));
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
