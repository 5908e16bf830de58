import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiTransport } from '@catalyst/plugin-catalyst-common';
import { PluginApiClient } from './PluginApiClient';

// A real HTTP server whose connections break before it answers, the way a pooled keep-alive connection breaks
// when the server has just closed it or a callee restarts.

/** A shared client's transport over the backend fetch, as the shared clients build it. */
function clientFor(port: number) {
  const api = new PluginApiClient({
    discovery: {
      getBaseUrl: async () => `http://127.0.0.1:${port}/api/catalyst`,
      getExternalBaseUrl: async () => `http://127.0.0.1:${port}/api/catalyst`,
    },
    auth: mockServices.auth(),
    pluginId: 'catalyst',
    serviceName: 'Sovereign registry',
    timeoutMs: 10_000,
  });
  return new ApiTransport({
    ...api,
    pluginId: 'catalyst',
    serviceName: 'Sovereign registry',
  });
}

describe('PluginApiClient', () => {
  let server: http.Server;
  let requests: string[];
  let breakFirst: number;

  beforeEach(async () => {
    requests = [];
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      if (requests.length <= breakFirst) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
  });

  afterEach(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  it('sends a request again when the connection broke before an answer', async () => {
    breakFirst = 2;
    const { port } = server.address() as AddressInfo;
    const result = await clientFor(port).request(
      'POST',
      '/v1/sovereigns/a-example/handoff-secret',
      { body: {} },
    );
    expect(result).toEqual({ status: 200, body: { ok: true } });
    expect(requests).toEqual([
      'POST /api/catalyst/v1/sovereigns/a-example/handoff-secret',
      'POST /api/catalyst/v1/sovereigns/a-example/handoff-secret',
      'POST /api/catalyst/v1/sovereigns/a-example/handoff-secret',
    ]);
  });

  it('gives up after three broken connections and names the cause', async () => {
    breakFirst = 10;
    const { port } = server.address() as AddressInfo;
    const error = await clientFor(port)
      .request('GET', '/v1/sovereigns/a-example')
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toMatch(
      /^Sovereign registry GET \/v1\/sovereigns\/a-example failed: fetch failed \((ECONNRESET|UND_ERR_SOCKET|EPIPE)\)$/,
    );
    expect(requests).toHaveLength(3);
  });

  it('does not repeat a request the callee answered with an error', async () => {
    breakFirst = 0;
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'Unavailable', detail: 'busy' }));
    });
    const { port } = server.address() as AddressInfo;
    const error = await clientFor(port)
      .request('POST', '/v1/x', { body: {} })
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(requests).toHaveLength(1);
  });
});
