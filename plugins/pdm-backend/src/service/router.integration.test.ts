import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { pdmPlugin } from '../plugin';
import { PowerDnsClient } from '../powerdns/PowerDnsClient';
import {
  delvValidate,
  dig,
  describeWithPowerDns,
  digShort,
  normalizeDs,
  sharedPowerDns,
  testDatabases,
  uniquePoolDomain,
} from '../__testUtils__/testEnvironment';

jest.setTimeout(120_000);

const databases = testDatabases();

describeWithPowerDns('PDM API against real PowerDNS (integration)', () => {
  const env = sharedPowerDns()!;
  const dns = new PowerDnsClient({ baseUrl: env.url, apiKey: env.apiKey });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let server: any;
    let pool: string;
    let nameservers: string[];
    let permissionResult: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    let sweep: () => Promise<void>;
    let sweepTask: any;
    const byoDomain = `byo-${Math.random().toString(36).slice(2, 8)}.example`;
    const byoTask = {
      createdBy: 'catalyst/task-byo',
      sovereignFQDN: byoDomain,
      owner: 'group:default/team-b',
    };

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      pool = uniquePoolDomain();
      nameservers = [`ns1.${pool}`, `ns2.${pool}`];
      permissionResult = AuthorizeResult.ALLOW;
      const scheduler = mockServices.scheduler.mock({
        scheduleTask: jest.fn(async () => undefined),
      });
      const permissions = mockServices.permissions.mock({
        authorize: jest.fn(async requests =>
          requests.map(() => ({ result: permissionResult })),
        ) as any,
      });
      const backend = await startTestBackend({
        features: [
          pdmPlugin,
          mockServices.database.factory({ knex }),
          scheduler.factory,
          permissions.factory,
          mockServices.rootConfig.factory({
            data: {
              pdm: {
                powerdns: { baseUrl: env.url, apiKey: env.apiKey },
                poolDomains: [pool.toUpperCase()],
                nameservers: nameservers.map(n => `${n.toUpperCase()}.`),
                reservationTtl: '10m',
                maxReservationTtl: { hours: 2 },
                delegation: {
                  resolvers: [`127.0.0.1:${env.dnsPort}`],
                  authoritativePort: env.dnsPort,
                  timeout: '2s',
                },
              },
            },
          }),
        ],
      });
      server = backend.server;
      sweepTask = (scheduler.scheduleTask as jest.Mock).mock.calls[0][0];
      sweep = sweepTask.fn;
      // Glue for our nameservers, so the delegation check can find the parent's servers.
      await dns.patchRRSets(
        pool,
        nameservers.map(n => ({
          name: n,
          type: 'A',
          ttl: 300,
          changetype: 'REPLACE' as const,
          records: ['127.0.0.1'],
        })),
      );
    });

    afterAll(async () => {
      const rows = await knex('pool_allocations').select('subdomain');
      for (const row of rows) await dns.deleteZone(`${row.subdomain}.${pool}`);
      await dns.deleteZone(byoDomain);
      await dns.deleteZone(pool);
    });

    const api = () => request(server);

    it('schedules the sweeper as one global task', () => {
      expect(sweepTask).toMatchObject({
        id: 'pdm-sweeper',
        scope: 'global',
        frequency: { seconds: 30 },
      });
    });

    it('creates the pool zone signed at startup and answers healthz without auth', async () => {
      expect(await digShort(env.dnsPort, pool, 'NS')).toEqual(
        nameservers.map(n => `${n}.`),
      );
      const dnskey = await digShort(env.dnsPort, pool, 'DNSKEY');
      expect(dnskey.some(k => k.startsWith('257 3 13 '))).toBe(true);
      const res = await api()
        .get('/api/pdm/healthz')
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ok',
        managedDomains: [pool],
        registrars: ['cloudflare', 'dynadot', 'godaddy', 'namecheap', 'ovh'],
        nameservers,
      });
    });

    it('requires a Backstage identity everywhere else', async () => {
      for (const [method, path] of [
        ['get', '/api/pdm/v1/reserved'],
        ['get', `/api/pdm/v1/pool/${pool}/check?sub=acme`],
        ['post', `/api/pdm/v1/pool/${pool}/reserve`],
        ['get', `/api/pdm/v1/pool/${pool}/list`],
        ['post', '/api/pdm/v1/registrar/cloudflare/validate'],
      ] as const) {
        const res = await api()
          [method](path)
          .set('Authorization', mockCredentials.none.header());
        expect(res.status).toBe(401);
      }
      const user = await api()
        .get('/api/pdm/v1/reserved')
        .set('Authorization', mockCredentials.user.header());
      expect(user.status).toBe(200);
      expect(user.body.reserved).toHaveLength(21);
      expect(user.body.reserved).toEqual([...user.body.reserved].sort());
      const service = await api()
        .get('/api/pdm/v1/reserved')
        .set('Authorization', mockCredentials.service.header());
      expect(service.status).toBe(200);
    });

    it('reserves, commits and releases a Sovereign domain with signed, delegated DNS', async () => {
      const fqdn = `acme.${pool}`;
      const check = await api().get(`/api/pdm/v1/pool/${pool}/check?sub=ACME`);
      expect(check.body).toEqual({ available: true, fqdn });

      const reserve = await api()
        .post(`/api/pdm/v1/pool/${pool.toUpperCase()}/reserve`)
        .set('Authorization', mockCredentials.service.header())
        .send({ subdomain: ' Acme ', createdBy: 'crossplane' });
      expect(reserve.status).toBe(201);
      expect(reserve.body).toMatchObject({
        poolDomain: pool,
        subdomain: 'acme',
        state: 'reserved',
        createdBy: 'crossplane',
      });
      const token = reserve.body.reservationToken;
      expect(token).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      const ttl =
        Date.parse(reserve.body.expiresAt) -
        Date.parse(reserve.body.reservedAt);
      expect(ttl).toBe(10 * 60_000);

      // Child zone, delegation and DS, as DNS clients see them.
      expect(await digShort(env.dnsPort, fqdn, 'NS')).toEqual(
        nameservers.map(n => `${n}.`),
      );
      const parent = await fetch(
        `${env.url}/api/v1/servers/localhost/zones/${pool}.`,
        { headers: { 'X-API-Key': env.apiKey } },
      ).then(r => r.json());
      const delegation = parent.rrsets.find(
        (r: any) => r.name === `${fqdn}.` && r.type === 'NS',
      );
      expect(delegation.ttl).toBe(3600);
      const ds = (await digShort(env.dnsPort, fqdn, 'DS')).map(normalizeDs);
      const keys = await dns.listCryptokeys(fqdn);
      expect(ds).toEqual(
        keys[0].ds!.filter(d => d.split(' ')[2] === '2').map(normalizeDs),
      );
      expect(
        parent.rrsets.find((r: any) => r.name === `${fqdn}.` && r.type === 'DS')
          .ttl,
      ).toBe(3600);

      expect(
        (await api().get(`/api/pdm/v1/pool/${pool}/check?sub=acme`)).body,
      ).toMatchObject({ available: false, reason: 'reserved-state', fqdn });
      const again = await api()
        .post(`/api/pdm/v1/pool/${pool}/reserve`)
        .send({ subdomain: 'acme' });
      expect(again.status).toBe(409);
      expect(again.body.error).toBe('conflict');

      const list = await api().get(`/api/pdm/v1/pool/${pool}/list`);
      expect(list.status).toBe(200);
      expect(list.body.poolDomain).toBe(pool);
      expect(JSON.stringify(list.body)).not.toContain(token);
      expect(list.body.allocations[0]).not.toHaveProperty('reservationToken');

      const commitBody = {
        subdomain: 'acme',
        reservationToken: token,
        sovereignFQDN: fqdn,
        loadBalancerIP: '203.0.113.10',
      };
      const mismatch = await api()
        .post(`/api/pdm/v1/pool/${pool}/commit`)
        .send({ ...commitBody, reservationToken: crypto.randomUUID() });
      expect(mismatch.status).toBe(403);
      expect(mismatch.body.error).toBe('token-mismatch');
      for (const [body, code] of [
        [{ ...commitBody, loadBalancerIP: '' }, 'missing-lb-ip'],
        [{ ...commitBody, loadBalancerIP: '300.1.1.1' }, 'invalid-lb-ip'],
        [{ ...commitBody, loadBalancerIP: '2001:db8::1' }, 'invalid-lb-ip'],
        [{ ...commitBody, sovereignFQDN: `other.${pool}` }, 'invalid-fqdn'],
        [{ ...commitBody, reservationToken: undefined }, 'missing-token'],
      ] as const) {
        const res = await api()
          .post(`/api/pdm/v1/pool/${pool}/commit`)
          .send(body);
        expect([res.status, res.body.error]).toEqual([422, code]);
      }

      const commit = await api()
        .post(`/api/pdm/v1/pool/${pool}/commit`)
        .send(commitBody);
      expect(commit.status).toBe(200);
      expect(commit.body).toMatchObject({
        poolDomain: pool,
        subdomain: 'acme',
        state: 'active',
        sovereignFQDN: fqdn,
        loadBalancerIP: '203.0.113.10',
        expiresAt: null,
      });
      expect(commit.body).not.toHaveProperty('reservationToken');
      // The answer lists exactly the six records written (docs/pdm.md §5.3), for the Sovereign's record.
      expect(commit.body.records).toEqual(
        ['', '*.', 'console.', 'api.', 'gitea.', 'harbor.'].map(prefix => ({
          name: `${prefix}${fqdn}.`,
          type: 'A',
          ttl: 300,
          content: '203.0.113.10',
        })),
      );
      for (const name of [
        fqdn,
        `console.${fqdn}`,
        `api.${fqdn}`,
        `gitea.${fqdn}`,
        `harbor.${fqdn}`,
        `anything.${fqdn}`,
      ]) {
        expect(await digShort(env.dnsPort, name, 'A')).toEqual([
          '203.0.113.10',
        ]);
      }
      const answer = await dig(
        env.dnsPort,
        `console.${fqdn}`,
        'A',
        '+noall',
        '+answer',
      );
      expect(answer.trim().split(/\s+/)[1]).toBe('300');

      // The chain of trust from the pool zone down to the records validates.
      const anchor = (await digShort(env.dnsPort, pool, 'DNSKEY')).find(k =>
        k.startsWith('257 '),
      )!;
      const delv = await delvValidate(
        env.dnsPort,
        pool,
        anchor,
        `console.${fqdn}`,
        'A',
      );
      expect(delv).toContain('; fully validated');
      expect(delv).toContain('203.0.113.10');

      // Retried commit re-applies; another IP on the active row is a conflict.
      const retry = await api()
        .post(`/api/pdm/v1/pool/${pool}/commit`)
        .send(commitBody);
      expect(retry.status).toBe(200);
      const other = await api()
        .post(`/api/pdm/v1/pool/${pool}/commit`)
        .send({ ...commitBody, loadBalancerIP: '203.0.113.11' });
      expect([other.status, other.body.error]).toEqual([409, 'already-active']);
      expect(
        (await api().get(`/api/pdm/v1/pool/${pool}/check?sub=acme`)).body,
      ).toMatchObject({ available: false, reason: 'active-state', fqdn });

      const release = await api()
        .delete(`/api/pdm/v1/pool/${pool}/release?sub=acme`)
        .set('Authorization', mockCredentials.service.header())
        .send({ reservationToken: token });
      expect(release.status).toBe(200);
      expect(release.body.freed).toMatchObject({
        subdomain: 'acme',
        state: 'active',
      });
      expect(await dns.zoneExists(fqdn)).toBe(false);
      expect(await digShort(env.dnsPort, fqdn, 'DS')).toEqual([]);
      expect(await digShort(env.dnsPort, `console.${fqdn}`, 'A')).toEqual([]);
      const gone = await api()
        .delete(`/api/pdm/v1/pool/${pool}/release`)
        .send({ subdomain: 'acme' });
      expect([gone.status, gone.body.error]).toEqual([404, 'not-found']);
    });

    it('refuses reserved and malformed names with a reason and writes nothing', async () => {
      const reserved = await api()
        .post(`/api/pdm/v1/pool/${pool}/reserve`)
        .send({ subdomain: 'Console' });
      expect(reserved.status).toBe(422);
      expect(reserved.body).toEqual({
        error: 'reserved',
        detail: expect.stringContaining('console'),
      });
      const cases: Array<[unknown, string]> = [
        ['', 'invalid-format'],
        ['a'.repeat(64), 'invalid-format'],
        ['bücher', 'invalid-format'],
        ['xn--bcher-kva.evil', 'invalid-format'],
        ['under_score', 'invalid-format'],
        ['1abc', 'invalid-format'],
        ['abc.', 'invalid-format'],
        ['a..b', 'invalid-format'],
        ['-abc', 'invalid-format'],
        ['abc-', 'invalid-format'],
        ["x'; DROP TABLE pool_allocations; --", 'invalid-format'],
        ['{"$ne":null}', 'invalid-format'],
        [{ $ne: null }, 'invalid-format'],
        [42, 'invalid-format'],
        [null, 'invalid-format'],
      ];
      for (const [subdomain, code] of cases) {
        const res = await api()
          .post(`/api/pdm/v1/pool/${pool}/reserve`)
          .send({ subdomain });
        expect([String(subdomain), res.status, res.body.error]).toEqual([
          String(subdomain),
          422,
          code,
        ]);
        expect(res.body.detail).toEqual(expect.any(String));
      }
      const unsupported = await api()
        .post('/api/pdm/v1/pool/example.com/reserve')
        .send({ subdomain: 'fine' });
      expect([unsupported.status, unsupported.body.error]).toEqual([
        422,
        'unsupported-pool',
      ]);
      const badJson = await api()
        .post(`/api/pdm/v1/pool/${pool}/reserve`)
        .set('Content-Type', 'application/json')
        .send('{"subdomain": "ok"');
      expect([badJson.status, badJson.body.error]).toEqual([
        400,
        'invalid JSON body',
      ]);
      const array = await api()
        .post(`/api/pdm/v1/pool/${pool}/reserve`)
        .send(['x']);
      expect(array.status).toBe(400);
      const big = await api()
        .post(`/api/pdm/v1/pool/${pool}/reserve`)
        .send({ subdomain: 'big', pad: 'x'.repeat(17 * 1024) });
      expect([big.status, big.body.error]).toEqual([400, 'request-too-large']);
      const ttl = await api()
        .post(`/api/pdm/v1/pool/${pool}/reserve`)
        .send({ subdomain: 'fine', ttlSeconds: 3 * 3600 });
      expect([ttl.status, ttl.body.error]).toEqual([422, 'invalid-ttl']);

      const check = await api().get(`/api/pdm/v1/pool/${pool}/check?sub=1abc`);
      expect(check.body).toMatchObject({
        available: false,
        reason: 'invalid-format',
      });
      expect(
        (await api().get(`/api/pdm/v1/pool/${pool}/check?sub=WWW`)).body,
      ).toMatchObject({
        available: false,
        reason: 'reserved',
        fqdn: `www.${pool}`,
      });

      // Only the allocation of the previous test (if it failed to release) may exist.
      expect(
        await knex('pool_allocations').whereNot('subdomain', 'acme'),
      ).toEqual([]);
      expect(await dns.zoneExists(`fine.${pool}`)).toBe(false);
      expect(await dns.zoneExists(`big.${pool}`)).toBe(false);
    });

    it('checks permissions on mutating routes and on list', async () => {
      permissionResult = AuthorizeResult.DENY;
      try {
        for (const [method, path] of [
          ['post', `/api/pdm/v1/pool/${pool}/reserve`],
          ['post', `/api/pdm/v1/pool/${pool}/commit`],
          ['post', `/api/pdm/v1/pool/${pool}/renew`],
          ['delete', `/api/pdm/v1/pool/${pool}/release`],
          ['get', `/api/pdm/v1/pool/${pool}/list`],
          ['post', `/api/pdm/v1/byo/${byoDomain}/zone`],
          ['post', '/api/pdm/v1/registrar/cloudflare/set-ns'],
        ] as const) {
          const res = await api()[method](path).send({ subdomain: 'denied' });
          expect([path, res.status, res.body.error]).toEqual([
            path,
            403,
            'forbidden',
          ]);
        }
        expect(await dns.zoneExists(`denied.${pool}`)).toBe(false);
      } finally {
        permissionResult = AuthorizeResult.ALLOW;
      }
    });

    it('renews a reservation within the configured bound', async () => {
      const reserve = await api()
        .post(`/api/pdm/v1/pool/${pool}/reserve`)
        .send({ subdomain: 'renewme', ttlSeconds: 120 });
      expect(reserve.status).toBe(201);
      expect(
        Date.parse(reserve.body.expiresAt) -
          Date.parse(reserve.body.reservedAt),
      ).toBe(120_000);
      const body = {
        subdomain: 'renewme',
        reservationToken: reserve.body.reservationToken,
      };
      const renewed = await api()
        .post(`/api/pdm/v1/pool/${pool}/renew`)
        .send({ ...body, ttlSeconds: 7200 });
      expect(renewed.status).toBe(200);
      expect(Date.parse(renewed.body.expiresAt) - Date.now()).toBeGreaterThan(
        7100_000,
      );
      expect(renewed.body).not.toHaveProperty('reservationToken');
      const tooLong = await api()
        .post(`/api/pdm/v1/pool/${pool}/renew`)
        .send({ ...body, ttlSeconds: 7201 });
      expect([tooLong.status, tooLong.body.error]).toEqual([
        422,
        'invalid-ttl',
      ]);
      const wrong = await api()
        .post(`/api/pdm/v1/pool/${pool}/renew`)
        .send({ ...body, reservationToken: 'not-a-uuid' });
      expect([wrong.status, wrong.body.error]).toEqual([403, 'token-mismatch']);
      const missing = await api()
        .post(`/api/pdm/v1/pool/${pool}/renew`)
        .send({ ...body, subdomain: 'nobody' });
      expect([missing.status, missing.body.error]).toEqual([404, 'not-found']);
    });

    it('sweeps expired reservations together with their zone, delegation and DS', async () => {
      const reserve = await api()
        .post(`/api/pdm/v1/pool/${pool}/reserve`)
        .send({ subdomain: 'stale' });
      expect(reserve.status).toBe(201);
      const fqdn = `stale.${pool}`;
      expect(await dns.zoneExists(fqdn)).toBe(true);
      await knex('pool_allocations')
        .where({ pool_domain: pool, subdomain: 'stale' })
        .update({ expires_at: new Date(Date.now() - 1000) });
      // An expired reservation is free for check and cannot be committed.
      expect(
        (await api().get(`/api/pdm/v1/pool/${pool}/check?sub=stale`)).body,
      ).toEqual({ available: true, fqdn });
      const late = await api().post(`/api/pdm/v1/pool/${pool}/commit`).send({
        subdomain: 'stale',
        reservationToken: reserve.body.reservationToken,
        sovereignFQDN: fqdn,
        loadBalancerIP: '203.0.113.5',
      });
      expect([late.status, late.body.error]).toEqual([
        410,
        'reservation-expired',
      ]);

      await sweep();
      expect(
        await knex('pool_allocations').where({
          pool_domain: pool,
          subdomain: 'stale',
        }),
      ).toEqual([]);
      expect(await dns.zoneExists(fqdn)).toBe(false);
      expect(await digShort(env.dnsPort, fqdn, 'DS')).toEqual([]);
      expect(await dns.zoneExists(`renewme.${pool}`)).toBe(true);
    });

    it('gives exactly one of 200 concurrent reserves of one name', async () => {
      // 200 different provisioning tasks race for the name (a retry by the same task gets its own reservation back).
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          api()
            .post(`/api/pdm/v1/pool/${pool}/reserve`)
            .send({ subdomain: 'race', createdBy: `catalyst/race-task-${i}` }),
        ),
      );
      const statuses = results.map(r => r.status);
      expect(statuses.filter(s => s === 201)).toHaveLength(1);
      expect(statuses.filter(s => s === 409)).toHaveLength(199);
      const rows = await knex('pool_allocations').where({
        pool_domain: pool,
        subdomain: 'race',
      });
      expect(rows).toHaveLength(1);
      const winner = results.find(r => r.status === 201)!;
      expect(rows[0].reservation_token).toBe(winner.body.reservationToken);
      expect(await dns.zoneExists(`race.${pool}`)).toBe(true);
    });

    it('reports whether the parent delegates a domain to our nameservers', async () => {
      const delegated = await api().get(`/api/pdm/v1/delegation/RACE.${pool}.`);
      expect(delegated.status).toBe(200);
      expect(delegated.body).toMatchObject({
        fqdn: `race.${pool}`,
        parent: pool,
        delegated: true,
        expected: nameservers,
        observed: nameservers,
      });
      expect(delegated.body.servers).toHaveLength(2);
      const missing = await api().get(`/api/pdm/v1/delegation/nowhere.${pool}`);
      expect(missing.body).toMatchObject({ delegated: false, observed: [] });
      const bad = await api().get('/api/pdm/v1/delegation/bad_name.example');
      expect([bad.status, bad.body.error]).toEqual([422, 'invalid-domain']);
    });

    it('hosts a bring-your-own zone with DNSSEC and the canonical records', async () => {
      const created = await api()
        .post(`/api/pdm/v1/byo/${byoDomain.toUpperCase()}/zone`)
        .set('Authorization', mockCredentials.service.header())
        .send(byoTask);
      expect(created.status).toBe(201);
      expect(created.body.zone).toBe(`${byoDomain}.`);
      expect(created.body.nameservers).toEqual(nameservers);
      expect(created.body.ds.length).toBeGreaterThan(0);
      const again = await api()
        .post(`/api/pdm/v1/byo/${byoDomain}/zone`)
        .send(byoTask);
      expect(again.status).toBe(201);
      expect(again.body.ds).toEqual(created.body.ds);
      const dnskey = await digShort(env.dnsPort, byoDomain, 'DNSKEY');
      expect(dnskey.some(k => k.startsWith('257 3 13 '))).toBe(true);

      const records = await api()
        .post(`/api/pdm/v1/byo/${byoDomain}/records`)
        .send({ ...byoTask, loadBalancerIP: '198.51.100.4' });
      expect(records.status).toBe(200);
      expect(records.body.records).toHaveLength(6);
      expect(await digShort(env.dnsPort, `harbor.${byoDomain}`, 'A')).toEqual([
        '198.51.100.4',
      ]);
      const badIp = await api()
        .post(`/api/pdm/v1/byo/${byoDomain}/records`)
        .send({ ...byoTask, loadBalancerIP: 'localhost' });
      expect([badIp.status, badIp.body.error]).toEqual([422, 'invalid-lb-ip']);
      const poolDomain = await api().post(`/api/pdm/v1/byo/x.${pool}/zone`);
      expect([poolDomain.status, poolDomain.body.error]).toEqual([
        422,
        'pool-domain',
      ]);
      const noZone = await api()
        .post('/api/pdm/v1/byo/unknown-zone.example/records')
        .send({ loadBalancerIP: '198.51.100.4' });
      expect([noZone.status, noZone.body.error]).toEqual([404, 'not-found']);

      const deleted = await api()
        .delete(`/api/pdm/v1/byo/${byoDomain}/zone`)
        .send(byoTask);
      expect(deleted.status).toBe(200);
      expect(await dns.zoneExists(byoDomain)).toBe(false);
      const deletedAgain = await api()
        .delete(`/api/pdm/v1/byo/${byoDomain}/zone`)
        .send(byoTask);
      expect(deletedAgain.status).toBe(404);
    });

    it('releases, deletes and rewrites only for the owner: tokens for reservations, Sovereign + owner for active names, the creating task for BYO zones', async () => {
      const service = mockCredentials.service.header();
      const fqdn = `victim.${pool}`;
      const reserve = await api()
        .post(`/api/pdm/v1/pool/${pool}/reserve`)
        .set('Authorization', service)
        .send({
          subdomain: 'victim',
          createdBy: 'catalyst/task-b',
          owner: 'group:default/team-b',
        });
      expect(reserve.status).toBe(201);
      expect(reserve.body.owner).toBe('group:default/team-b');
      const token = reserve.body.reservationToken;
      const release = (body: Record<string, unknown>) =>
        api()
          .delete(`/api/pdm/v1/pool/${pool}/release`)
          .set('Authorization', service)
          .send({ subdomain: 'victim', ...body });

      // Reserved: only the reservation token releases it; the owner's name is not enough.
      for (const [body, code] of [
        [{}, 'missing-token'],
        [
          { owner: 'group:default/team-b', sovereignFQDN: fqdn },
          'missing-token',
        ],
        [
          { reservationToken: '00000000-0000-4000-8000-000000000000' },
          'token-mismatch',
        ],
        [{ reservationToken: 'not-a-uuid' }, 'token-mismatch'],
      ] as const) {
        const res = await release(body);
        expect([res.status, res.body.error]).toEqual([403, code]);
      }
      expect(await dns.zoneExists(fqdn)).toBe(true);
      expect(await digShort(env.dnsPort, fqdn, 'NS')).toEqual(
        nameservers.map(n => `${n}.`),
      );

      const commit = await api()
        .post(`/api/pdm/v1/pool/${pool}/commit`)
        .set('Authorization', service)
        .send({
          subdomain: 'victim',
          reservationToken: token,
          sovereignFQDN: fqdn,
          loadBalancerIP: '203.0.113.77',
        });
      expect(commit.status).toBe(200);
      expect(commit.body.owner).toBe('group:default/team-b');

      // Active: another Sovereign, another owner, or no proof at all is refused and DNS stays.
      for (const body of [
        {},
        { owner: 'group:default/team-a', sovereignFQDN: fqdn },
        { owner: 'group:default/team-b', sovereignFQDN: `other.${pool}` },
        { owner: 'group:default/team-b' },
      ]) {
        const res = await release(body);
        expect([res.status, res.body.error]).toEqual([403, 'not-owner']);
      }
      expect(await digShort(env.dnsPort, `console.${fqdn}`, 'A')).toEqual([
        '203.0.113.77',
      ]);
      expect(await digShort(env.dnsPort, fqdn, 'DS')).not.toEqual([]);
      // The owning Sovereign releases it (decommission).
      const owned = await release({
        owner: 'group:default/team-b',
        sovereignFQDN: fqdn,
      });
      expect(owned.status).toBe(200);
      expect(await dns.zoneExists(fqdn)).toBe(false);

      // The task's own token still releases its allocation after the commit (a compensation).
      const again = await api()
        .post(`/api/pdm/v1/pool/${pool}/reserve`)
        .set('Authorization', service)
        .send({ subdomain: 'victim', owner: 'group:default/team-b' });
      await api()
        .post(`/api/pdm/v1/pool/${pool}/commit`)
        .set('Authorization', service)
        .send({
          subdomain: 'victim',
          reservationToken: again.body.reservationToken,
          sovereignFQDN: fqdn,
          loadBalancerIP: '203.0.113.78',
        });
      const compensated = await release({
        reservationToken: again.body.reservationToken,
      });
      expect(compensated.status).toBe(200);
      expect(await dns.zoneExists(fqdn)).toBe(false);

      // BYO: the victim's zone, then a second task trying to take, nest into, rewrite or delete it.
      const victimZone = `victim-${Math.random()
        .toString(36)
        .slice(2, 8)}.example`;
      const victim = {
        createdBy: 'catalyst/task-b',
        sovereignFQDN: victimZone,
        owner: 'group:default/team-b',
      };
      const attacker = {
        createdBy: 'catalyst/task-a',
        sovereignFQDN: victimZone,
        owner: 'group:default/team-a',
      };
      try {
        const created = await api()
          .post(`/api/pdm/v1/byo/${victimZone}/zone`)
          .set('Authorization', service)
          .send(victim);
        expect(created.status).toBe(201);
        await api()
          .post(`/api/pdm/v1/byo/${victimZone}/records`)
          .set('Authorization', service)
          .send({ ...victim, loadBalancerIP: '198.51.100.20' });
        const keysBefore = await dns.listCryptokeys(victimZone);

        const check = await api().get(`/api/pdm/v1/byo/${victimZone}/check`);
        expect(check.body).toMatchObject({
          available: false,
          reason: 'zone-held',
        });
        expect(check.body.detail).toContain('group:default/team-b');
        const nestedCheck = await api().get(
          `/api/pdm/v1/byo/www.${victimZone}/check`,
        );
        expect(nestedCheck.body).toMatchObject({
          available: false,
          reason: 'zone-overlap',
        });
        expect(
          (await api().get(`/api/pdm/v1/byo/free-${victimZone}/check`)).body,
        ).toEqual({ available: true, domain: `free-${victimZone}` });

        const take = await api()
          .post(`/api/pdm/v1/byo/${victimZone}/zone`)
          .set('Authorization', service)
          .send(attacker);
        expect([take.status, take.body.error]).toEqual([409, 'zone-held']);
        const nested = await api()
          .post(`/api/pdm/v1/byo/www.${victimZone}/zone`)
          .set('Authorization', service)
          .send({ ...attacker, sovereignFQDN: `www.${victimZone}` });
        expect([nested.status, nested.body.error]).toEqual([
          409,
          'zone-overlap',
        ]);
        expect(await dns.zoneExists(`www.${victimZone}`)).toBe(false);
        const rewrite = await api()
          .post(`/api/pdm/v1/byo/${victimZone}/records`)
          .set('Authorization', service)
          .send({ ...attacker, loadBalancerIP: '198.51.100.66' });
        expect([rewrite.status, rewrite.body.error]).toEqual([
          403,
          'not-owner',
        ]);
        const remove = await api()
          .delete(`/api/pdm/v1/byo/${victimZone}/zone`)
          .set('Authorization', service)
          .send(attacker);
        expect([remove.status, remove.body.error]).toEqual([403, 'not-owner']);

        // Nothing changed: same zone, same keys, same records.
        expect(await dns.zoneExists(victimZone)).toBe(true);
        expect(await dns.listCryptokeys(victimZone)).toEqual(keysBefore);
        expect(
          await digShort(env.dnsPort, `console.${victimZone}`, 'A'),
        ).toEqual(['198.51.100.20']);

        // A zone PDM does not track is never deleted through the API.
        const untracked = await api()
          .delete(`/api/pdm/v1/byo/untracked-${victimZone}/zone`)
          .set('Authorization', service)
          .send(attacker);
        expect(untracked.status).toBe(404);

        // The owning Sovereign (decommission) deletes it.
        const decommission = await api()
          .delete(`/api/pdm/v1/byo/${victimZone}/zone`)
          .set('Authorization', service)
          .send({
            createdBy: 'catalyst/task-decommission',
            sovereignFQDN: victimZone,
            owner: 'group:default/team-b',
          });
        expect(decommission.status).toBe(200);
        expect(await dns.zoneExists(victimZone)).toBe(false);
      } finally {
        await dns.deleteZone(victimZone).catch(() => undefined);
        await dns.deleteZone(`www.${victimZone}`).catch(() => undefined);
      }
    });
  });
});
