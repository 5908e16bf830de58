import { mockServices } from '@backstage/backend-test-utils';
import { LocalApiServer } from '../__testUtils__/LocalApiServer';
import { PoolAllocationClient } from './PoolAllocationClient';

const actor = {
  createdBy: 'catalyst/task-1',
  sovereignFQDN: 'acme.com',
  owner: 'group:default/team-b',
};
const proof = { reservationToken: '5f3b2c1a-0000-4000-8000-000000000001' };

describe('PoolAllocationClient (against a local HTTP server)', () => {
  let server: LocalApiServer;
  let client: PoolAllocationClient;

  beforeEach(async () => {
    server = new LocalApiServer(() => ({ status: 500 }));
    await server.start();
    client = new PoolAllocationClient({
      discovery: server.discovery,
      auth: mockServices.auth(),
    });
  });
  afterEach(() => server.stop());

  it('reserves with a service token for pdm and the requested TTL', async () => {
    server.setHandler(() => ({
      status: 201,
      body: {
        poolDomain: 'omani.works',
        subdomain: 'omantel',
        state: 'reserved',
        reservedAt: '2026-01-01T00:00:00Z',
        expiresAt: '2026-01-01T01:00:00Z',
        reservationToken: '8d3c1f7e-0d59-4a0e-9f61-2a4f7c5b9e10',
        createdBy: 'catalyst/task-1',
      },
    }));
    const reservation = await client.reserve('omani.works', {
      subdomain: 'omantel',
      createdBy: 'catalyst/task-1',
      ttlSeconds: 3600,
    });
    expect(reservation.reservationToken).toBe(
      '8d3c1f7e-0d59-4a0e-9f61-2a4f7c5b9e10',
    );
    const [request] = server.requests;
    expect(request).toMatchObject({
      method: 'POST',
      pluginId: 'pdm',
      path: '/v1/pool/omani.works/reserve',
      body: {
        subdomain: 'omantel',
        createdBy: 'catalyst/task-1',
        ttlSeconds: 3600,
      },
    });
    expect(request.authorization).toMatch(/^Bearer .*"target":"pdm"/);
  });

  it('maps PDM error codes to typed errors with the code and detail', async () => {
    server.setHandler(() => ({
      status: 409,
      body: {
        error: 'conflict',
        detail: 'omantel.omani.works is already reserved',
      },
    }));
    await expect(
      client.reserve('omani.works', {
        subdomain: 'omantel',
        createdBy: 'x',
        ttlSeconds: 60,
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'PDM POST /v1/pool/omani.works/reserve answered 409 conflict: omantel.omani.works is already reserved',
    });
    server.setHandler(() => ({
      status: 410,
      body: { error: 'reservation-expired' },
    }));
    await expect(
      client.commit('omani.works', {
        subdomain: 'omantel',
        reservationToken: 't',
        sovereignFQDN: 'omantel.omani.works',
        loadBalancerIP: '203.0.113.10',
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('410 reservation-expired'),
    });
    server.setHandler(() => ({
      status: 422,
      body: { error: 'invalid-format' },
    }));
    await expect(
      client.checkSubdomain('omani.works', '-x'),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
    server.setHandler(() => ({ status: 503, body: { status: 'unhealthy' } }));
    await expect(
      client.checkSubdomain('omani.works', 'x'),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
  });

  it('reports a 202 commit as active without records', async () => {
    server.setHandler(() => ({
      status: 202,
      body: {
        warning: 'dns-write-failed',
        detail: 'powerdns patch: status 500',
      },
    }));
    await expect(
      client.commit('omani.works', {
        subdomain: 'omantel',
        reservationToken: 't',
        sovereignFQDN: 'omantel.omani.works',
        loadBalancerIP: '203.0.113.10',
      }),
    ).resolves.toEqual({
      recordsWritten: false,
      records: [],
      warning: 'dns-write-failed',
      detail: 'powerdns patch: status 500',
    });
  });

  it('answers the records a commit wrote, as PDM lists them', async () => {
    const records = [
      'omantel.omani.works.',
      'console.omantel.omani.works.',
    ].map(name => ({ name, type: 'A', ttl: 300, content: '203.0.113.10' }));
    server.setHandler(() => ({
      status: 200,
      body: {
        poolDomain: 'omani.works',
        subdomain: 'omantel',
        state: 'active',
        sovereignFQDN: 'omantel.omani.works',
        loadBalancerIP: '203.0.113.10',
        records,
      },
    }));
    await expect(
      client.commit('omani.works', {
        subdomain: 'omantel',
        reservationToken: 't',
        sovereignFQDN: 'omantel.omani.works',
        loadBalancerIP: '203.0.113.10',
      }),
    ).resolves.toEqual({ recordsWritten: true, records });
  });

  it('treats a 404 on release and on BYO zone deletion as success', async () => {
    server.setHandler(() => ({ status: 404, body: { error: 'not-found' } }));
    await expect(
      client.release('omani.works', 'omantel', proof),
    ).resolves.toEqual({
      released: false,
    });
    await expect(client.deleteByoZone('acme.com', actor)).resolves.toEqual({
      deleted: false,
    });
    server.setHandler(r =>
      r.method === 'DELETE' && r.path.startsWith('/v1/pool')
        ? { status: 200, body: { freed: { subdomain: 'omantel' } } }
        : { status: 204 },
    );
    await expect(
      client.release('omani.works', 'omantel', proof),
    ).resolves.toEqual({
      released: true,
      warning: undefined,
    });
    await expect(client.deleteByoZone('acme.com', actor)).resolves.toEqual({
      deleted: true,
    });
    // The proof travels in the body, never in the URL.
    expect(server.requests[0].body).toEqual({ subdomain: 'omantel', ...proof });
    expect(server.requests[1].body).toEqual(actor);
    expect(server.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'DELETE /v1/pool/omani.works/release?sub=omantel',
      'DELETE /v1/byo/acme.com/zone',
      'DELETE /v1/pool/omani.works/release?sub=omantel',
      'DELETE /v1/byo/acme.com/zone',
    ]);
  });

  it('sends the registrar token in the body only and keeps it out of errors', async () => {
    const token = 'cf-secret-token-0123456789';
    server.setHandler(() => ({
      status: 401,
      body: { error: 'invalid-token', detail: 'token rejected' },
    }));
    const error = await client
      .setNameservers('cloudflare', {
        domain: 'acme.com',
        token,
        nameservers: ['ns1.openova.io'],
      })
      .catch(e => e);
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).not.toContain(token);
    expect(server.requests[0].path).toBe('/v1/registrar/cloudflare/set-ns');
    expect(server.requests[0].body.token).toBe(token);
  });

  it('renews, creates BYO zones and writes BYO records on the documented paths', async () => {
    server.setHandler(r => {
      if (r.path.endsWith('/renew'))
        return { status: 200, body: { expiresAt: '2026-01-01T02:00:00Z' } };
      if (r.path.endsWith('/zone'))
        return {
          status: 201,
          body: {
            zone: 'acme.com.',
            nameservers: ['ns1.openova.io'],
            ds: ['acme.com. 3600 IN DS 1 13 2 ab'],
          },
        };
      return {
        status: 200,
        body: {
          zone: 'acme.com.',
          loadBalancerIP: '203.0.113.10',
          records: [
            {
              name: '*.acme.com.',
              type: 'A',
              ttl: 300,
              content: '203.0.113.10',
            },
          ],
        },
      };
    });
    await expect(
      client.renew('omani.works', {
        subdomain: 'omantel',
        reservationToken: 't',
        ttlSeconds: 600,
      }),
    ).resolves.toEqual({ expiresAt: '2026-01-01T02:00:00Z' });
    await expect(
      client.createByoZone('acme.com', actor),
    ).resolves.toMatchObject({
      zone: 'acme.com.',
    });
    await expect(
      client.writeByoRecords('acme.com', '203.0.113.10', actor),
    ).resolves.toEqual({
      records: [
        { name: '*.acme.com.', type: 'A', ttl: 300, content: '203.0.113.10' },
      ],
    });
    expect(server.requests.map(r => [r.method, r.path, r.body])).toEqual([
      [
        'POST',
        '/v1/pool/omani.works/renew',
        { subdomain: 'omantel', reservationToken: 't', ttlSeconds: 600 },
      ],
      ['POST', '/v1/byo/acme.com/zone', actor],
      [
        'POST',
        '/v1/byo/acme.com/records',
        { ...actor, loadBalancerIP: '203.0.113.10' },
      ],
    ]);
  });
});
