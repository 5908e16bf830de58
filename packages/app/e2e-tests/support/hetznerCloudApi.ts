import http from 'node:http';

/**
 * A local Hetzner Cloud API for the browser tests: the machines that run them cannot reach api.hetzner.cloud.
 * It implements what Catalyst's credential check calls — `GET /v1/servers` with Bearer authentication — and
 * answers in Hetzner's documented shapes: `{servers, meta}` on success and
 * `{error: {code: 'unauthorized', message}}` with 401 for a token it does not know.
 */
export function startHetznerCloudApi(options: {
  port: number;
  acceptedTokens: string[];
}): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || url.pathname !== '/v1/servers') {
      send(404, { error: { code: 'not_found', message: 'not found' } });
      return;
    }
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ')
      ? auth.slice('Bearer '.length)
      : '';
    if (!options.acceptedTokens.includes(token)) {
      send(401, {
        error: { code: 'unauthorized', message: 'unable to authenticate' },
      });
      return;
    }
    send(200, {
      servers: [],
      meta: {
        pagination: {
          page: 1,
          per_page: 25,
          previous_page: null,
          next_page: null,
          last_page: 1,
          total_entries: 0,
        },
      },
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}
