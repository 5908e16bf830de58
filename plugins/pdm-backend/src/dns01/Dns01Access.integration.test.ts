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
import { dnsUpdate } from '../__testUtils__/dnsUpdate';
import {
  describeWithPowerDns,
  digShort,
  OwnPowerDns,
  PowerDnsEnv,
  testDatabases,
  uniquePoolDomain,
} from '../__testUtils__/testEnvironment';
import {
  ALLOW_DNSUPDATE_FROM,
  TSIG_ALLOW_DNSUPDATE,
  dns01KeyName,
} from './Dns01Access';

jest.setTimeout(120_000);

const databases = testDatabases();

const scaffolder = () =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:scaffolder'),
    targetPluginId: 'pdm',
  });
const otherService = () =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:catalog'),
    targetPluginId: 'pdm',
  });

describeWithPowerDns(
  'PDM DNS-01 keys against real PowerDNS (integration)',
  () => {
    // A PowerDNS of the suite's own (same configuration as every other): DNS UPDATE writes must not compete with
    // the other suites' API writes for the shared server's SQLite lock (PowerDNS answers SERVFAIL then).
    let suitePdns: OwnPowerDns;
    let env: PowerDnsEnv;
    let dns: PowerDnsClient;
    beforeAll(async () => {
      suitePdns = await OwnPowerDns.start();
      env = suitePdns.env;
      dns = new PowerDnsClient({ baseUrl: env.url, apiKey: env.apiKey });
    });
    afterAll(async () => {
      await suitePdns?.destroy();
    });

    describe.each(databases.eachSupportedId())('on %p', databaseId => {
      let server: any;
      let pool: string;
      const byoDomain = `byo-${Math.random().toString(36).slice(2, 8)}.example`;
      const logged: string[] = [];

      beforeAll(async () => {
        const knex: Knex = await databases.init(databaseId);
        pool = uniquePoolDomain();
        const logger = mockServices.logger.mock();
        for (const level of ['info', 'warn', 'error', 'debug'] as const) {
          (logger[level] as jest.Mock).mockImplementation((m: string, meta) =>
            logged.push(`${m} ${JSON.stringify(meta ?? {})}`),
          );
        }
        (logger.child as jest.Mock).mockReturnValue(logger);
        const backend = await startTestBackend({
          features: [
            pdmPlugin,
            mockServices.database.factory({ knex }),
            mockServices.scheduler.mock({
              scheduleTask: jest.fn(async () => undefined),
            }).factory,
            mockServices.permissions.mock({
              authorize: jest.fn(async requests =>
                requests.map(() => ({ result: AuthorizeResult.ALLOW })),
              ) as any,
            }).factory,
            logger.factory,
            mockServices.rootConfig.factory({
              data: {
                pdm: {
                  powerdns: { baseUrl: env.url, apiKey: env.apiKey },
                  poolDomains: [pool],
                  nameservers: [`ns1.${pool}`, `ns2.${pool}`],
                  dns01: {
                    nameserver: `127.0.0.1:${env.dnsPort}`,
                    allowUpdateFrom: ['127.0.0.0/8', '::1/128'],
                  },
                },
              },
            }),
          ],
        });
        server = backend.server;
      });

      afterAll(async () => {
        for (const zone of [`alpha.${pool}`, `beta.${pool}`, byoDomain]) {
          await dns.deleteTsigKey(dns01KeyName(zone));
          await dns.deleteZone(zone);
        }
        await dns.deleteZone(pool);
      });

      const api = () => request(server);

      const readKey = (fqdn: string, header = scaffolder()) =>
        api().get(`/api/pdm/v1/dns01/${fqdn}/key`).set('Authorization', header);

      it('gives a reserved Sovereign zone its own key, allowed on that zone only, and revokes it on release', async () => {
        const fqdn = `alpha.${pool}`;
        const reserved = await api()
          .post(`/api/pdm/v1/pool/${pool}/reserve`)
          .set('Authorization', scaffolder())
          .send({ subdomain: 'alpha' });
        expect(reserved.status).toBe(201);
        // Public facts only in the reservation.
        expect(reserved.body.dns01).toEqual({
          zone: fqdn,
          nameserver: `127.0.0.1:${env.dnsPort}`,
          keyName: `dns01.${fqdn}`,
          algorithm: 'hmac-sha256',
        });
        expect(JSON.stringify(reserved.body)).not.toMatch(/secret/i);

        expect(await dns.getZoneMetadata(fqdn, TSIG_ALLOW_DNSUPDATE)).toEqual([
          `dns01.${fqdn}`,
        ]);
        expect(await dns.getZoneMetadata(fqdn, ALLOW_DNSUPDATE_FROM)).toEqual([
          '127.0.0.0/8',
          '::1/128',
        ]);
        // The pool's parent zone stays closed.
        expect(await dns.getZoneMetadata(pool, TSIG_ALLOW_DNSUPDATE)).toEqual(
          [],
        );

        const key = await readKey(fqdn);
        expect(key.status).toBe(200);
        expect(key.headers['cache-control']).toBe('no-store');
        expect(key.body).toMatchObject({
          zone: fqdn,
          keyName: `dns01.${fqdn}`,
          algorithm: 'hmac-sha256',
        });
        expect(Buffer.from(key.body.secret, 'base64').length).toBeGreaterThan(
          31,
        );
        expect(logged.join('\n')).not.toContain(key.body.secret);

        const own = await dnsUpdate({
          dnsPort: env.dnsPort,
          zone: fqdn,
          name: `_acme-challenge.${fqdn}`,
          txt: 'own-zone',
          key: key.body,
        });
        expect(own).toEqual({ ok: true, output: '' });
        expect(
          await digShort(env.dnsPort, `_acme-challenge.${fqdn}`, 'TXT'),
        ).toEqual(['"own-zone"']);
        const parent = await dnsUpdate({
          dnsPort: env.dnsPort,
          zone: pool,
          name: `_acme-challenge.${pool}`,
          txt: 'parent',
          key: key.body,
        });
        expect(parent.ok).toBe(false);
        expect(parent.output).toMatch(/REFUSED/);

        const released = await api()
          .delete(`/api/pdm/v1/pool/${pool}/release`)
          .set('Authorization', scaffolder())
          .send({
            subdomain: 'alpha',
            reservationToken: reserved.body.reservationToken,
          });
        expect(released.status).toBe(200);
        expect(await dns.getTsigKey(`dns01.${fqdn}`)).toBeUndefined();
        expect((await readKey(fqdn)).status).toBe(404);
      });

      it('hands the key to the scaffolder only', async () => {
        const fqdn = `beta.${pool}`;
        expect(
          (
            await api()
              .post(`/api/pdm/v1/pool/${pool}/reserve`)
              .set('Authorization', scaffolder())
              .send({ subdomain: 'beta' })
          ).status,
        ).toBe(201);
        const user = await readKey(fqdn, mockCredentials.user.header());
        expect(user.status).toBe(403);
        expect(JSON.stringify(user.body)).not.toMatch(/secret/);
        const other = await readKey(fqdn, otherService());
        expect(other.status).toBe(403);
        expect(other.body.error).toBe('forbidden');
        expect(
          (await readKey(fqdn, mockCredentials.none.header())).status,
        ).toBe(401);
        expect((await readKey(pool)).body.error).toBe('pool-domain');
        expect((await readKey(`nothing.${pool}`)).status).toBe(404);
        expect((await readKey('not a name')).status).toBe(422);
        expect((await readKey(fqdn)).status).toBe(200);
      });

      it('leaves neither key nor metadata when a reserve fails after the key was made', async () => {
        // Without the parent zone the delegation write fails: the last step of a reserve.
        await dns.deleteZone(pool);
        const failed = await api()
          .post(`/api/pdm/v1/pool/${pool}/reserve`)
          .set('Authorization', scaffolder())
          .send({ subdomain: 'gamma' });
        expect(failed.status).toBe(502);
        expect(failed.body.error).toBe('dns-error');
        expect(await dns.zoneExists(`gamma.${pool}`)).toBe(false);
        expect(await dns.getTsigKey(`dns01.gamma.${pool}`)).toBeUndefined();
        expect((await readKey(`gamma.${pool}`)).status).toBe(404);
        await dns.createZone(pool, [`ns1.${pool}`]);
        await dns.enableDnssec(pool);
      });

      it('gives a bring-your-own zone its key, keeps it when the zone is created again, and deletes it with the zone', async () => {
        const created = await api()
          .post(`/api/pdm/v1/byo/${byoDomain}/zone`)
          .set('Authorization', scaffolder());
        expect(created.status).toBe(201);
        expect(created.body.dns01).toMatchObject({
          zone: byoDomain,
          keyName: `dns01.${byoDomain}`,
        });
        const first = (await readKey(byoDomain)).body.secret;
        expect(first).toBeTruthy();
        const again = await api()
          .post(`/api/pdm/v1/byo/${byoDomain}/zone`)
          .set('Authorization', scaffolder());
        expect(again.status).toBe(201);
        expect((await readKey(byoDomain)).body.secret).toBe(first);

        const deleted = await api()
          .delete(`/api/pdm/v1/byo/${byoDomain}/zone`)
          .set('Authorization', scaffolder());
        expect(deleted.status).toBe(200);
        expect(await dns.getTsigKey(`dns01.${byoDomain}`)).toBeUndefined();
        expect((await readKey(byoDomain)).status).toBe(404);
      });
    });
  },
);
