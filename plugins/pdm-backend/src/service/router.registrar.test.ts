import {
  PdmClient,
  pdmErrorOf,
  remoteErrorOf,
} from '@catalyst/plugin-catalyst-common';
import express from 'express';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PoolAllocationStore } from '../database/PoolAllocationStore';
import { ByoZoneStore } from '../database/ByoZoneStore';
import { DelegationChecker } from '../delegation/DelegationChecker';
import { PowerDnsClient } from '../powerdns/PowerDnsClient';
import { RegistrarError } from '../registrars/types';
import { InMemoryRegistrar } from '../__testUtils__/InMemoryRegistrar';
import { ByoZoneService } from './ByoZoneService';
import { PoolAllocationService } from './PoolAllocationService';
import { createRouter } from './router';

const TOKEN = 'tok-very-secret-0123456789';
const NAMESERVERS = ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'];

describe('registrar routes', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let app: express.Express;
  let registrar: InMemoryRegistrar;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let permissionResult: AuthorizeResult.ALLOW | AuthorizeResult.DENY;

  beforeEach(async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await PoolAllocationStore.create(
      mockServices.database({ knex }),
    );
    const powerDns = new PowerDnsClient({
      baseUrl: 'http://127.0.0.1:1',
      apiKey: 'unused',
    });
    registrar = new InMemoryRegistrar('fakereg', TOKEN, 'acme.example', [
      'ns1.old-host.net',
      'ns2.old-host.net',
    ]);
    logger = mockServices.logger.mock();
    permissionResult = AuthorizeResult.ALLOW;
    const router = await createRouter({
      logger,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions.mock({
        authorize: jest.fn(async reqs =>
          reqs.map(() => ({ result: permissionResult })),
        ) as any,
      }),
      store,
      allocations: new PoolAllocationService({
        store,
        powerDns,
        logger,
        poolDomains: ['omani.works'],
        nameservers: NAMESERVERS,
        reservationTtlMs: 600_000,
        maxReservationTtlMs: 3_600_000,
      }),
      byo: new ByoZoneService({
        store: new ByoZoneStore(knex),
        powerDns,
        nameservers: NAMESERVERS,
        poolDomains: ['omani.works'],
      }),
      delegation: new DelegationChecker({
        nameservers: NAMESERVERS,
        resolvers: ['127.0.0.1:1'],
        authoritativePort: 53,
        timeoutMs: 200,
      }),
      registrars: [registrar],
      nameservers: NAMESERVERS,
    });
    app = express().use('/api/pdm', router);
  });

  function expectNoTokenInLogs() {
    const logged = JSON.stringify([
      logger.info.mock.calls,
      logger.warn.mock.calls,
      logger.error.mock.calls,
      logger.debug.mock.calls,
    ]);
    expect(logged).not.toContain(TOKEN);
  }

  it('validates a token for a domain and logs only the outcome', async () => {
    const res = await request(app)
      .post('/api/pdm/v1/registrar/FakeReg/validate')
      .send({ domain: ' ACME.example ', token: TOKEN });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      registrar: 'fakereg',
      domain: 'acme.example',
    });
    expect(logger.info).toHaveBeenCalledWith('registrar call', {
      registrar: 'fakereg',
      domain: 'acme.example',
      outcome: 'ok',
    });
    expectNoTokenInLogs();
  });

  it('maps adapter errors to the reference codes without echoing upstream text', async () => {
    const cases: Array<[RegistrarError | Error, number, string]> = [
      [new RegistrarError('invalid-token', 'x'), 401, 'invalid-token'],
      [
        new RegistrarError('domain-not-in-account', 'x'),
        403,
        'domain-not-in-account',
      ],
      [new RegistrarError('rate-limited', 'x', 30), 429, 'rate-limited'],
      [new RegistrarError('api-unavailable', 'x'), 502, 'api-unavailable'],
      [new Error(`upstream said ${TOKEN}`), 500, 'registrar-error'],
    ];
    for (const [error, status, code] of cases) {
      registrar.failWith = error;
      const res = await request(app)
        .post('/api/pdm/v1/registrar/fakereg/validate')
        .send({ domain: 'acme.example', token: TOKEN });
      expect([res.status, res.body.error]).toEqual([status, code]);
      // Reference-compatible: every registrar error names the registrar and the domain.
      expect(res.body).toMatchObject({
        registrar: 'fakereg',
        domain: 'acme.example',
      });
      expect(typeof res.body.detail).toBe('string');
      expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    }
    registrar.failWith = new RegistrarError('rate-limited', 'x', 30);
    const limited = await request(app)
      .post('/api/pdm/v1/registrar/fakereg/validate')
      .send({ domain: 'acme.example', token: TOKEN });
    expect(limited.body).toMatchObject({
      error: 'rate-limited',
      retryAfterSeconds: 30,
    });
    expectNoTokenInLogs();
  });

  it("is read by the shared PdmClient: the reference body's code, detail, registrar and domain", async () => {
    const server = app.listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const pdm = new PdmClient({
        discoveryApi: {
          getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
        },
      });
      expect(
        await pdm.validateRegistrarToken('fakereg', 'acme.example', TOKEN),
      ).toMatchObject({ valid: true });

      registrar.failWith = new RegistrarError('rate-limited', 'x', 30);
      const limited = await pdm
        .validateRegistrarToken('fakereg', 'acme.example', TOKEN)
        .catch(e => e);
      expect(limited.name).toBe('ServiceUnavailableError');
      expect(pdmErrorOf(limited)).toMatchObject({
        status: 429,
        error: 'rate-limited',
        registrar: 'fakereg',
        domain: 'acme.example',
        retryAfterSeconds: 30,
      });
      expect(limited.message).toMatch(
        /^PDM POST \/v1\/registrar\/fakereg\/validate answered 429 rate-limited: /,
      );

      registrar.failWith = undefined;
      const rejected = await pdm
        .setNameservers('fakereg', {
          domain: 'acme.example',
          token: 'wrong-token',
          nameservers: NAMESERVERS,
        })
        .catch(e => e);
      expect(rejected.name).toBe('AuthenticationError');
      expect(pdmErrorOf(rejected)).toMatchObject({
        status: 401,
        error: 'invalid-token',
      });
      expect(remoteErrorOf(rejected)?.name).toBe('invalid-token');
      expect(
        `${rejected.message} ${JSON.stringify(pdmErrorOf(rejected))}`,
      ).not.toContain('wrong-token');
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });

  it('answers the shared errors', async () => {
    const unsupported = await request(app)
      .post('/api/pdm/v1/registrar/nope/validate')
      .send({ domain: 'acme.example', token: TOKEN });
    expect(unsupported.status).toBe(404);
    expect(unsupported.body).toMatchObject({
      error: 'unsupported-registrar',
      supported: ['fakereg'],
    });
    for (const [body, code] of [
      [{ token: TOKEN }, 'missing-domain'],
      [{ domain: 'acme.example' }, 'missing-token'],
      [{ domain: 'bad_domain', token: TOKEN }, 'invalid-domain'],
    ] as const) {
      const res = await request(app)
        .post('/api/pdm/v1/registrar/fakereg/validate')
        .send(body);
      expect([res.status, res.body.error]).toEqual([422, code]);
    }
    const badJson = await request(app)
      .post('/api/pdm/v1/registrar/fakereg/validate')
      .set('Content-Type', 'application/json')
      .send('{nope');
    expect([badJson.status, badJson.body.error]).toEqual([400, 'invalid-body']);
    const big = await request(app)
      .post('/api/pdm/v1/registrar/fakereg/validate')
      .send({ domain: 'acme.example', token: 'x'.repeat(20_000) });
    expect([big.status, big.body.error]).toEqual([400, 'request-too-large']);
    const anonymous = await request(app)
      .post('/api/pdm/v1/registrar/fakereg/validate')
      .set('Authorization', mockCredentials.none.header())
      .send({ domain: 'acme.example', token: TOKEN });
    expect([anonymous.status, anonymous.body.error]).toEqual([
      401,
      'unauthorized',
    ]);
  });

  it('flips nameservers only to PDM nameservers and reads them back', async () => {
    const wrong = await request(app)
      .post('/api/pdm/v1/registrar/fakereg/set-ns')
      .send({
        domain: 'acme.example',
        token: TOKEN,
        nameservers: ['ns1.evil.example', 'ns2.evil.example'],
      });
    expect([wrong.status, wrong.body.error]).toEqual([
      422,
      'nameservers-mismatch',
    ]);
    expect(registrar.calls).toEqual([]);
    const missing = await request(app)
      .post('/api/pdm/v1/registrar/fakereg/set-ns')
      .send({ domain: 'acme.example', token: TOKEN, nameservers: [] });
    expect([missing.status, missing.body.error]).toEqual([
      422,
      'missing-nameservers',
    ]);

    const res = await request(app)
      .post('/api/pdm/v1/registrar/fakereg/set-ns')
      .set('Authorization', mockCredentials.service.header())
      .send({
        domain: 'acme.example',
        token: TOKEN,
        nameservers: [
          'NS3.openova.io.',
          ' ns1.openova.io',
          'ns2.openova.io',
          'ns1.openova.io',
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      registrar: 'fakereg',
      domain: 'acme.example',
      nameservers: ['ns3.openova.io', 'ns1.openova.io', 'ns2.openova.io'],
      verified: true,
      propagation: '30-60 min',
    });
    expect(registrar.calls).toEqual(['validate', 'set', 'get']);

    registrar.readBackFails = true;
    const noReadBack = await request(app)
      .post('/api/pdm/v1/registrar/fakereg/set-ns')
      .send({ domain: 'acme.example', token: TOKEN, nameservers: NAMESERVERS });
    expect(noReadBack.status).toBe(200);
    expect(noReadBack.body).toMatchObject({
      nameservers: NAMESERVERS,
      verified: false,
    });

    permissionResult = AuthorizeResult.DENY;
    const denied = await request(app)
      .post('/api/pdm/v1/registrar/fakereg/set-ns')
      .send({ domain: 'acme.example', token: TOKEN, nameservers: NAMESERVERS });
    expect([denied.status, denied.body.error]).toEqual([403, 'forbidden']);
    expectNoTokenInLogs();
  });

  it('reads the current nameservers with the token in the body or in X-Registrar-Token', async () => {
    const post = await request(app)
      .post('/api/pdm/v1/registrar/fakereg/nameservers')
      .send({ domain: 'acme.example', token: TOKEN });
    expect(post.status).toBe(200);
    expect(post.body).toEqual({
      registrar: 'fakereg',
      domain: 'acme.example',
      nameservers: ['ns1.old-host.net', 'ns2.old-host.net'],
      matchesPdm: false,
    });
    registrar.nameservers = [...NAMESERVERS].reverse();
    const get = await request(app)
      .get('/api/pdm/v1/registrar/fakereg/nameservers?domain=acme.example')
      .set('X-Registrar-Token', TOKEN);
    expect(get.status).toBe(200);
    expect(get.body.matchesPdm).toBe(true);
    const noToken = await request(app).get(
      '/api/pdm/v1/registrar/fakereg/nameservers?domain=acme.example',
    );
    expect([noToken.status, noToken.body.error]).toEqual([
      422,
      'missing-token',
    ]);
    expectNoTokenInLogs();
  });

  it('answers 503 for healthz when the database is gone', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await PoolAllocationStore.create(
      mockServices.database({ knex }),
    );
    await knex.destroy();
    const router = await createRouter({
      logger,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions.mock(),
      store,
      allocations: {} as PoolAllocationService,
      byo: {} as ByoZoneService,
      delegation: {} as DelegationChecker,
      registrars: [],
      nameservers: NAMESERVERS,
    });
    const res = await request(express().use(router)).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('unhealthy');
    expect(res.body.db).toEqual(expect.any(String));
  });
});
