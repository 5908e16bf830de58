import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { pdmPlugin } from '../plugin';
import { PowerDnsClient } from '../powerdns/PowerDnsClient';
import { Pebble, legoObtain, missingAcmeTools } from './testing';
import { UpdateKey, dnsUpdate } from '../__testUtils__/dnsUpdate';
import {
  delvValidate,
  describeWithPowerDns,
  digShort,
  OwnPowerDns,
  PowerDnsEnv,
  testDatabases,
  uniquePoolDomain,
} from '../__testUtils__/testEnvironment';

jest.setTimeout(240_000);

const databases = testDatabases();

const scaffolder = () =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:scaffolder'),
    targetPluginId: 'pdm',
  });

/*
 * The DNS-01 proof with a real ACME server and client: PDM mints the keys, pebble issues, lego answers the
 * challenges through RFC 2136 on the real PowerDNS (DNSSEC on, empty global allow-dnsupdate-from). The database
 * plays no part in what is proven here, so one (SQLite) is enough.
 */
describeWithPowerDns(
  'DNS-01 with real ACME: pebble + lego (integration)',
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
    const pool = uniquePoolDomain();
    const sovA = `sov-a.${pool}`;
    const sovB = `sov-b.${pool}`;
    const byo = `byo-${randomBytes(3).toString('hex')}.example`;
    let server: any;
    let pebble: Pebble;
    let keyA: UpdateKey;
    let keyACreatedAt: number;
    /** Reservation tokens by subdomain: releasing a reserved name needs its token. */
    const tokens = new Map<string, string>();

    const api = () => request(server);
    const readKey = async (fqdn: string): Promise<UpdateKey> => {
      const res = await api()
        .get(`/api/pdm/v1/dns01/${fqdn}/key`)
        .set('Authorization', scaffolder());
      if (res.status !== 200) throw new Error(`key of ${fqdn}: ${res.text}`);
      return res.body;
    };
    const update = (
      zone: string,
      key: UpdateKey | undefined,
      name = `_acme-challenge.${zone}`,
    ) =>
      dnsUpdate({
        dnsPort: env.dnsPort,
        zone,
        name,
        txt: `probe-${randomBytes(4).toString('hex')}`,
        key,
      });
    const poolAnchor = async () =>
      (await digShort(env.dnsPort, pool, 'DNSKEY')).find(k =>
        k.startsWith('257 '),
      )!;

    beforeAll(async () => {
      const missing = await missingAcmeTools();
      if (missing.length > 0) {
        throw new Error(
          `The DNS-01 tests need ${missing.join(
            ', ',
          )}: apt-get install pebble lego dnsutils openssl (./catalyst test installs them)`,
        );
      }
      const knex = await databases.init('SQLITE_3');
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
          mockServices.rootConfig.factory({
            data: {
              pdm: {
                powerdns: { baseUrl: env.url, apiKey: env.apiKey },
                poolDomains: [pool],
                nameservers: [`ns1.${pool}`, `ns2.${pool}`],
                dns01: { nameserver: `127.0.0.1:${env.dnsPort}` },
              },
            },
          }),
        ],
      });
      server = backend.server;
      pebble = await Pebble.start(env.dnsPort);

      keyACreatedAt = Date.now();
      for (const sub of ['sov-a', 'sov-b']) {
        const res = await api()
          .post(`/api/pdm/v1/pool/${pool}/reserve`)
          .set('Authorization', scaffolder())
          .send({ subdomain: sub });
        if (res.status !== 201) throw new Error(`reserve ${sub}: ${res.text}`);
        tokens.set(sub, res.body.reservationToken);
      }
      keyA = await readKey(sovA);
      const zone = await api()
        .post(`/api/pdm/v1/byo/${byo}/zone`)
        .set('Authorization', scaffolder());
      if (zone.status !== 201) throw new Error(`BYO zone: ${zone.text}`);
    });

    afterAll(async () => {
      await pebble?.stop();
      // The zones and keys go with the suite's own PowerDNS.
      await suitePdns?.destroy();
    });

    it("obtains a wildcard certificate for the Sovereign's own FQDN with its key, and leaves no challenge records", async () => {
      const result = await legoObtain({
        pebble,
        dnsPort: env.dnsPort,
        key: keyA,
        domains: [`*.${sovA}`, sovA],
      });
      if (!result.ok) throw new Error(`lego failed:\n${result.output}`);
      const fromKeyToCertificateMs = Date.now() - keyACreatedAt;
      // Recorded for docs/tls.md; the benchmark bench/dns01-acme.bench.ts measures it on its own.
      process.stdout.write(
        `DNS-01: key creation to issued certificate ${fromKeyToCertificateMs} ms (lego ${result.elapsedMs} ms)\n`,
      );
      expect(result.certificate).toBeDefined();
      expect(result.certificate!.subjectAltName?.split(', ').sort()).toEqual(
        [`DNS:*.${sovA}`, `DNS:${sovA}`].sort(),
      );
      expect(result.output).not.toContain(keyA.secret);
      // lego removes what it wrote: the challenge name has no TXT left.
      expect(
        await digShort(env.dnsPort, `_acme-challenge.${sovA}`, 'TXT'),
      ).toEqual([]);
    });

    it("refuses the same key on another Sovereign's zone, the pool's parent and a bring-your-own zone", async () => {
      for (const zone of [sovB, pool, byo]) {
        const refused = await update(zone, keyA);
        expect({ zone, ...refused }).toEqual({
          zone,
          ok: false,
          output: expect.stringContaining('REFUSED'),
        });
        expect(
          await digShort(env.dnsPort, `_acme-challenge.${zone}`, 'TXT'),
        ).toEqual([]);
      }
      // A name outside the key's zone, sent to its own zone, is not in the zone at all.
      const outside = await update(sovA, keyA, `_acme-challenge.${sovB}`);
      expect(outside.ok).toBe(false);
      // And the real ACME client fails on the other Sovereign's name.
      const lego = await legoObtain({
        pebble,
        dnsPort: env.dnsPort,
        key: keyA,
        domains: [sovB],
      });
      expect(lego.ok).toBe(false);
      expect(lego.certificate).toBeUndefined();
      expect(lego.output).toMatch(/REFUSED/);
    });

    it('refuses unsigned updates and a forged secret everywhere', async () => {
      for (const zone of [sovA, sovB, pool, byo]) {
        const unsigned = await update(zone, undefined);
        expect({ zone, ...unsigned }).toEqual({
          zone,
          ok: false,
          output: expect.stringContaining('REFUSED'),
        });
      }
      const forged = await update(sovA, {
        ...keyA,
        secret: randomBytes(64).toString('base64'),
      });
      expect(forged.ok).toBe(false);
    });

    it('keeps every zone valid under DNSSEC after the updates', async () => {
      const own = await update(sovA, keyA, `check.${sovA}`);
      expect(own).toEqual({ ok: true, output: '' });
      const anchor = await poolAnchor();
      const txt = await delvValidate(
        env.dnsPort,
        pool,
        anchor,
        `check.${sovA}`,
        'TXT',
      );
      expect(txt).toContain('; fully validated');
      const soa = await delvValidate(env.dnsPort, pool, anchor, sovA, 'SOA');
      expect(soa).toContain('; fully validated');
      const byoAnchor = (await digShort(env.dnsPort, byo, 'DNSKEY')).find(k =>
        k.startsWith('257 '),
      )!;
      const byoKey = await readKey(byo);
      expect(await update(byo, byoKey, `check.${byo}`)).toEqual({
        ok: true,
        output: '',
      });
      expect(
        await delvValidate(env.dnsPort, byo, byoAnchor, `check.${byo}`, 'TXT'),
      ).toContain('; fully validated');
    });

    it("stops a released Sovereign's key, also on a new Sovereign with the same name", async () => {
      const released = await api()
        .delete(`/api/pdm/v1/pool/${pool}/release`)
        .set('Authorization', scaffolder())
        .send({ subdomain: 'sov-a', reservationToken: tokens.get('sov-a') });
      expect(released.status).toBe(200);
      expect(await dns.getTsigKey(keyA.keyName)).toBeUndefined();

      const again = await api()
        .post(`/api/pdm/v1/pool/${pool}/reserve`)
        .set('Authorization', scaffolder())
        .send({ subdomain: 'sov-a' });
      expect(again.status).toBe(201);
      const newKey = await readKey(sovA);
      expect(newKey.keyName).toBe(keyA.keyName);
      expect(newKey.secret).not.toBe(keyA.secret);

      const old = await update(sovA, keyA);
      expect(old.ok).toBe(false);
      expect((await update(sovA, newKey)).ok).toBe(true);
      const lego = await legoObtain({
        pebble,
        dnsPort: env.dnsPort,
        key: keyA,
        domains: [sovA],
      });
      expect(lego.ok).toBe(false);
      expect(lego.certificate).toBeUndefined();
    });
  },
);
