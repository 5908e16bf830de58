import fs from 'node:fs';
import path from 'node:path';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { parseNodeSizeCatalog } from '@catalyst/plugin-catalyst-common';

/** The real node-size catalog from the common package, as the backend serves it. */
export function nodeSizeCatalog() {
  const dir = path.dirname(
    require.resolve('@catalyst/plugin-catalyst-common/package.json'),
  );
  return parseNodeSizeCatalog(
    fs.readFileSync(path.join(dir, 'data/node-sizes.yaml'), 'utf8'),
  );
}

type Route = { status: number; body: unknown };

/**
 * A fetch API that answers the Catalyst backend paths from a table and fails the test on any other URL,
 * so a component that calls an unexpected endpoint is caught.
 */
export function catalystFetchApi(routes: Record<string, Route>) {
  const fetch = jest.fn(async (input: RequestInfo | URL) => {
    const url = String(input);
    const prefix = 'http://backend.test/api/catalyst';
    const route = url.startsWith(prefix)
      ? routes[url.slice(prefix.length)]
      : undefined;
    if (!route) throw new Error(`Unexpected request to ${url}`);
    return new Response(JSON.stringify(route.body), {
      status: route.status,
      statusText: route.status === 404 ? 'Not Found' : 'OK',
      headers: { 'Content-Type': 'application/json' },
    });
  });
  return fetch;
}

export function registryApis(routes: Record<string, Route>) {
  const fetch = catalystFetchApi(routes);
  return {
    fetch,
    apis: [
      [fetchApiRef, { fetch }],
      [
        discoveryApiRef,
        {
          getBaseUrl: async (pluginId: string) =>
            `http://backend.test/api/${pluginId}`,
        },
      ],
    ] as const,
  };
}
