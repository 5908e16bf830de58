import { CatalystClient } from './CatalystClient';

function client(
  respond: (url: string, init?: RequestInit) => Response | Promise<Response>,
) {
  const fetch = jest.fn(async (url: string, init?: RequestInit) =>
    respond(url, init),
  );
  return {
    fetch,
    client: new CatalystClient({
      discoveryApi: {
        getBaseUrl: async (id: string) => `http://backend/api/${id}`,
      },
      fetchApi: { fetch: fetch as any },
    }),
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('CatalystClient', () => {
  it('maps the credential check answers to failure kinds', async () => {
    const answers: Record<string, Response> = {};
    const { client: c, fetch } = client(
      (_url, init) => answers[JSON.parse(String(init!.body)).token],
    );
    answers.ok = json(200, { valid: true });
    answers.bad = json(200, { valid: false, reason: 'token rejected' });
    answers.short = json(400, { valid: false, reason: 'too-short' });
    answers.down = json(503, { valid: false, detail: 'timeout' });
    answers.html = new Response('<html>Bad gateway</html>', { status: 502 });
    expect(await c.validateCredential('hetzner', 'ok')).toEqual({
      valid: true,
    });
    expect(await c.validateCredential('hetzner', 'bad')).toMatchObject({
      valid: false,
      kind: 'rejected',
      reason: 'token rejected',
    });
    expect(await c.validateCredential('hetzner', 'short')).toMatchObject({
      kind: 'too-short',
      status: 400,
    });
    expect(await c.validateCredential('hetzner', 'down')).toMatchObject({
      kind: 'unreachable',
      detail: 'timeout',
    });
    expect(await c.validateCredential('hetzner', 'html')).toMatchObject({
      kind: 'parse',
      status: 502,
      detail: '<html>Bad gateway</html>',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/catalyst/v1/credentials/validate',
      expect.objectContaining({
        method: 'POST',
        body: JSON.stringify({ provider: 'hetzner', token: 'ok' }),
      }),
    );
  });

  it('reports a network failure of the credential check as such', async () => {
    const { client: c } = client(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(await c.validateCredential('aws', 'x')).toMatchObject({
      valid: false,
      kind: 'network',
    });
  });

  it('fetches the catalog data once and shares it', async () => {
    const { client: c, fetch } = client(() =>
      json(200, { components: {}, nodeSizes: {}, bootstrapKit: {} }),
    );
    await Promise.all([c.getCatalogData(), c.getCatalogData()]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/catalyst/v1/catalog-data',
    );
  });

  it('names the backend when the catalog data cannot be fetched, and retries next time', async () => {
    let fail = true;
    const { client: c } = client(() => {
      if (fail) throw new TypeError('Failed to fetch');
      return json(200, { components: {}, nodeSizes: {}, bootstrapKit: {} });
    });
    await expect(c.getCatalogData()).rejects.toThrow(
      'The Catalyst backend could not be reached to load the catalog data: Failed to fetch',
    );
    fail = false;
    await expect(c.getCatalogData()).resolves.toEqual({
      components: {},
      nodeSizes: {},
      bootstrapKit: {},
    });
  });

  it('reads pool domains, registrars and nameservers from PDM health', async () => {
    const { client: c } = client(() =>
      json(200, {
        status: 'ok',
        managedDomains: ['omani.works', 'openova.io'],
        registrars: ['cloudflare'],
      }),
    );
    expect(await c.getPdmInfo()).toEqual({
      managedDomains: ['omani.works', 'openova.io'],
      registrars: ['cloudflare'],
    });
  });

  it('checks a pool subdomain and turns a PDM outage into pdm-unavailable', async () => {
    let answer = json(200, { available: false, reason: 'reserved' });
    const { client: c, fetch } = client(() => answer);
    expect(await c.checkSubdomain('omani.works', 'vault')).toEqual({
      available: false,
      reason: 'reserved',
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/pdm/v1/pool/omani.works/check?sub=vault',
    );
    answer = new Response('upstream down', { status: 502 });
    expect(await c.checkSubdomain('omani.works', 'acme')).toEqual({
      available: false,
      reason: 'pdm-unavailable',
      detail: 'upstream down',
    });
  });

  it('maps registrar validation errors', async () => {
    let answer = json(200, {
      valid: true,
      registrar: 'ovh',
      domain: 'a.example',
    });
    const { client: c } = client(() => answer);
    expect(await c.validateRegistrarToken('ovh', 'a.example', 'k:s:c')).toEqual(
      { valid: true },
    );
    answer = json(429, { error: 'rate-limited', detail: 'slow down' });
    expect(await c.validateRegistrarToken('ovh', 'a.example', 'k:s:c')).toEqual(
      {
        valid: false,
        status: 429,
        error: 'rate-limited',
        detail: 'slow down',
      },
    );
  });
});
