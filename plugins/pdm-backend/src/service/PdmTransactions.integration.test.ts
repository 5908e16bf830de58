import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { ByoZoneStore } from '../database/ByoZoneStore';
import { PoolAllocationStore } from '../database/PoolAllocationStore';
import { PowerDnsClient } from '../powerdns/PowerDnsClient';
import {
  describeWithPowerDns,
  digShort,
  sharedPowerDns,
  testDatabases,
  uniquePoolDomain,
} from '../__testUtils__/testEnvironment';
import { ByoZoneService } from './ByoZoneService';
import { PoolAllocationService } from './PoolAllocationService';

jest.setTimeout(180_000);

const databases = testDatabases();
const NAMESERVERS = ['ns1.openova.io', 'ns2.openova.io'];
const LEASE_MS = 400;
const RETRIES = [0, 100, 300];

/**
 * A fetch for the PowerDNS client that (1) records, at every PowerDNS call, whether a database transaction is open
 * on this database, and (2) can make PowerDNS unreachable for the next calls matching a method and path, as a
 * backend that dies between its database write and its PowerDNS call would leave things.
 */
function instrumentedFetch(knex: Knex) {
  const openDuring: string[] = [];
  const outages: { method: string; path: RegExp; left: number }[] = [];
  const calls: string[] = [];
  async function transactionOpen(): Promise<boolean> {
    if (knex.client.dialect === 'postgresql') {
      const rows = await knex.raw(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'",
      );
      return rows.rows[0].n > 0;
    }
    // SQLite has one connection: a transaction held across this call would keep it from us.
    const acquired = knex.client.acquireConnection();
    const connection = await Promise.race([
      acquired,
      new Promise(resolve => setTimeout(() => resolve(undefined), 1000)),
    ]);
    if (!connection) {
      acquired.then((c: unknown) => knex.client.releaseConnection(c));
      return true;
    }
    const inTransaction = Boolean(
      (connection as { inTransaction?: boolean }).inTransaction,
    );
    await knex.client.releaseConnection(connection);
    return inTransaction;
  }
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${url.pathname}`);
    if (await transactionOpen()) {
      openDuring.push(`${method} ${url.pathname}`);
    }
    const outage = outages.find(
      o => o.left > 0 && o.method === method && o.path.test(url.pathname),
    );
    if (outage) {
      outage.left--;
      throw new TypeError('fetch failed', {
        cause: { code: 'ECONNREFUSED' },
      });
    }
    return fetch(input, init);
  };
  return {
    fetch: wrapped,
    openDuring,
    calls,
    /** The next `times` calls of `method` on a path matching `path` find PowerDNS unreachable. */
    unreachable(method: string, path: RegExp, times = RETRIES.length) {
      outages.push({ method, path, left: times });
    },
  };
}

async function setup(knex: Knex, pool: string) {
  const env = sharedPowerDns()!;
  const store = await PoolAllocationStore.create(
    mockServices.database({ knex }),
  );
  const probe = instrumentedFetch(knex);
  // Short retries: the test PowerDNS keeps its zones in SQLite and refuses a write now and then under concurrent
  // writers; an outage covers every attempt of one call.
  const powerDns = new PowerDnsClient({
    baseUrl: env.url,
    apiKey: env.apiKey,
    retryDelaysMs: RETRIES,
    fetch: probe.fetch,
  });
  const plain = new PowerDnsClient({ baseUrl: env.url, apiKey: env.apiKey });
  const service = new PoolAllocationService({
    store,
    powerDns,
    logger: mockServices.logger.mock(),
    poolDomains: [pool],
    nameservers: NAMESERVERS,
    reservationTtlMs: 600_000,
    maxReservationTtlMs: 3_600_000,
    releaseLeaseMs: LEASE_MS,
  });
  const byoStore = new ByoZoneStore(knex);
  const byo = new ByoZoneService({
    store: byoStore,
    powerDns,
    nameservers: NAMESERVERS,
    poolDomains: [pool],
    leaseMs: LEASE_MS,
  });
  await service.bootstrapParentZones();
  return { env, store, byoStore, powerDns, plain, service, byo, probe };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describeWithPowerDns(
  'PDM holds no transaction across PowerDNS (integration)',
  () => {
    describe.each(databases.eachSupportedId())('on %p', databaseId => {
      let knex: Knex;
      let ctx: Awaited<ReturnType<typeof setup>>;
      const pool = uniquePoolDomain();
      const byoDomains: string[] = [];

      beforeAll(async () => {
        knex = await databases.init(databaseId);
        ctx = await setup(knex, pool);
      });
      afterAll(async () => {
        for (const row of await knex('pool_allocations').select('subdomain')) {
          await ctx.plain.deleteZone(`${row.subdomain}.${pool}`);
        }
        for (const domain of byoDomains) await ctx.plain.deleteZone(domain);
        await ctx.plain.deleteZone(pool);
      });

      /** Sweep passes until one finds nothing to do (what the scheduled sweeper does over its ticks). */
      async function repair() {
        for (let pass = 0; pass < 5; pass++) {
          const { swept, failed } = await ctx.service.sweep();
          if (swept === 0 && failed === 0) return;
          await sleep(300);
        }
      }

      /** Row and DNS of one name agree: a row (not being released) with its zone and delegation, or neither. */
      async function expectConsistent(subdomain: string) {
        const fqdn = `${subdomain}.${pool}`;
        const row = await ctx.store.get({ poolDomain: pool, subdomain });
        const zone = await ctx.plain.zoneExists(fqdn);
        const ds = await digShort(ctx.env.dnsPort, fqdn, 'DS');
        const tsig = await fetch(
          `${ctx.env.url}/api/v1/servers/localhost/tsigkeys/dns01.${fqdn}.`,
          { headers: { 'X-API-Key': ctx.env.apiKey } },
        ).then(r => r.status);
        if (row) {
          expect(row.releasing).toBeUndefined();
          expect([zone, ds.length > 0, tsig]).toEqual([true, true, 200]);
        } else {
          expect([zone, ds, tsig]).toEqual([false, [], 404]);
        }
        return row;
      }

      it('opens no transaction while PowerDNS works, in any pool or BYO operation', async () => {
        const r = await ctx.service.reserve({
          domain: pool,
          subdomain: 'quiet',
          createdBy: 'task-q',
        });
        await ctx.service.commit({
          domain: pool,
          subdomain: 'quiet',
          reservationToken: r.reservationToken,
          sovereignFQDN: `quiet.${pool}`,
          loadBalancerIP: '192.0.2.7',
        });
        await ctx.service.release({
          domain: pool,
          subdomain: 'quiet',
          reservationToken: r.reservationToken,
        });
        const expiring = await ctx.service.reserve({
          domain: pool,
          subdomain: 'expiring',
        });
        await knex('pool_allocations')
          .where({ subdomain: 'expiring' })
          .update({ expires_at: new Date(Date.now() - 1000) });
        expect(await ctx.service.sweep()).toEqual({ swept: 1, failed: 0 });
        expect(expiring.subdomain).toBe('expiring');

        const domain = uniquePoolDomain();
        byoDomains.push(domain);
        const actor = { createdBy: 'task-byo', sovereignFQDN: domain };
        await ctx.byo.createZone(domain, actor);
        await ctx.byo.createZone(domain, actor);
        await ctx.byo.writeRecords(domain, '192.0.2.8', actor);
        await ctx.byo.deleteZone(domain, actor);

        expect(ctx.probe.calls.length).toBeGreaterThan(20);
        expect(ctx.probe.openDuring).toEqual([]);
        await expectConsistent('quiet');
        await expectConsistent('expiring');
        expect(await ctx.plain.zoneExists(domain)).toBe(false);
      });

      it('release vs sweep of the same expired reservation: one tears down, nothing is left', async () => {
        const names = ['rs0', 'rs1', 'rs2', 'rs3', 'rs4'];
        const reservations = [];
        for (const subdomain of names) {
          reservations.push(
            await ctx.service.reserve({ domain: pool, subdomain }),
          );
        }
        await knex('pool_allocations')
          .whereIn('subdomain', names)
          .update({ expires_at: new Date(Date.now() - 1000) });
        const outcomes = await Promise.all([
          ...reservations.map(r =>
            ctx.service
              .release({
                domain: pool,
                subdomain: r.subdomain,
                reservationToken: r.reservationToken,
              })
              .then(
                res => String(res.body.warning ?? res.status),
                e => e.code as string,
              ),
          ),
          ctx.service.sweep(),
          sleep(5).then(() => ctx.service.sweep()),
        ]);
        const releases = outcomes.slice(0, names.length) as string[];
        // 200: this release tore it down; release-in-progress: the sweeper had claimed it; not-found: already gone;
        // dns-teardown-failed: the test PowerDNS (SQLite) refused a write under the burst, the row stays marked.
        expect(
          releases.filter(
            o =>
              ![
                '200',
                'release-in-progress',
                'not-found',
                'dns-teardown-failed',
              ].includes(o),
          ),
        ).toEqual([]);
        const sweeps = outcomes.slice(names.length) as {
          swept: number;
          failed: number;
        }[];
        // Later passes repair whatever a refused write left behind.
        for (let pass = 0; pass < 5; pass++) {
          await sleep(300);
          const next = await ctx.service.sweep();
          sweeps.push(next);
          if (next.swept === 0 && next.failed === 0) break;
        }
        // Every name was torn down exactly once: by its release or by one sweep.
        expect(
          releases.filter(o => o === '200').length +
            sweeps.reduce((n, s) => n + s.swept, 0),
        ).toBe(names.length);
        for (const name of names) {
          expect(await expectConsistent(name)).toBeUndefined();
        }
      });

      it('double release: one tears down, the other is told it is in progress or gone', async () => {
        const r = await ctx.service.reserve({
          domain: pool,
          subdomain: 'twice',
        });
        const release = () =>
          ctx.service
            .release({
              domain: pool,
              subdomain: 'twice',
              reservationToken: r.reservationToken,
            })
            .then(
              res => String(res.body.warning ?? res.status),
              e => e.code as string,
            );
        const outcomes = (await Promise.all([release(), release()])).sort();
        // dns-teardown-failed only when the test PowerDNS (SQLite) refused a write; the sweep then finishes it.
        const firstWins = [
          ['200', 'release-in-progress'],
          ['200', 'not-found'],
        ];
        const refused = [
          ['dns-teardown-failed', 'release-in-progress'],
          ['dns-teardown-failed', 'not-found'],
          ['200', 'dns-teardown-failed'],
        ];
        expect([...firstWins, ...refused]).toContainEqual(outcomes);
        if (outcomes.includes('dns-teardown-failed')) await repair();
        expect(await expectConsistent('twice')).toBeUndefined();
        // The name is free again at once.
        await ctx.service.reserve({ domain: pool, subdomain: 'twice' });
        expect(await expectConsistent('twice')).toMatchObject({
          state: 'reserved',
        });
      });

      it('commit vs release: either the commit lands first and the release removes it, or the commit is refused', async () => {
        const names = ['cr0', 'cr1', 'cr2', 'cr3'];
        const seen: string[] = [];
        for (const [i, subdomain] of names.entries()) {
          const r = await ctx.service.reserve({ domain: pool, subdomain });
          const commit = ctx.service
            .commit({
              domain: pool,
              subdomain,
              reservationToken: r.reservationToken,
              sovereignFQDN: `${subdomain}.${pool}`,
              loadBalancerIP: '192.0.2.30',
            })
            .then(
              res => String(res.status),
              e => e.code as string,
            );
          const { service } = ctx;
          const release = sleep(i % 2 === 0 ? 0 : 3).then(() =>
            service
              .release({
                domain: pool,
                subdomain,
                reservationToken: r.reservationToken,
              })
              .then(
                res => String(res.body.warning ?? res.status),
                e => e.code as string,
              ),
          );
          const [c, rel] = await Promise.all([commit, release]);
          seen.push(`${c}/${rel}`);
          // The release always wins in the end (it holds the token); the commit either went through before it or
          // was refused because the row was being released.
          expect(['200', '410', 'released']).toContain(c);
          expect(['200', 'dns-teardown-failed']).toContain(rel);
          if (rel !== '200') await repair();
          expect(await expectConsistent(subdomain)).toBeUndefined();
        }
        expect(seen).toHaveLength(names.length);
      });

      it('a release whose PowerDNS call fails keeps the row marked; the next sweep finishes the teardown', async () => {
        const fqdn = `broken.${pool}`;
        const r = await ctx.service.reserve({
          domain: pool,
          subdomain: 'broken',
        });
        // The row is claimed and committed, then PowerDNS is unreachable for the zone's deletion.
        ctx.probe.unreachable('DELETE', new RegExp(`/zones/${fqdn}\\.$`));
        const partial = await ctx.service.release({
          domain: pool,
          subdomain: 'broken',
          reservationToken: r.reservationToken,
        });
        expect(partial.status).toBe(202);
        expect(partial.body).toMatchObject({ warning: 'dns-teardown-failed' });
        // Nothing pretends the name is free: the row stays, marked, and the zone is still there.
        expect(
          await ctx.store.get({ poolDomain: pool, subdomain: 'broken' }),
        ).toMatchObject({ releasing: true });
        expect(await ctx.plain.zoneExists(fqdn)).toBe(true);
        expect(await ctx.service.check(pool, 'broken')).toMatchObject({
          available: false,
          reason: 'releasing-state',
        });
        await expect(
          ctx.service.reserve({ domain: pool, subdomain: 'broken' }),
        ).rejects.toMatchObject({ status: 409 });
        await expect(
          ctx.service.commit({
            domain: pool,
            subdomain: 'broken',
            reservationToken: r.reservationToken,
            sovereignFQDN: fqdn,
            loadBalancerIP: '192.0.2.40',
          }),
        ).rejects.toMatchObject({ status: 410, code: 'released' });

        // The next sweep pass repairs it: zone, key, delegation and row all go.
        expect(await ctx.service.sweep()).toMatchObject({
          swept: 1,
          failed: 0,
        });
        expect(await expectConsistent('broken')).toBeUndefined();
      });

      it('a backend that dies after claiming a release: the claim outlives it only until its lease, then a sweep repairs it', async () => {
        const fqdn = `crash.${pool}`;
        const r = await ctx.service.reserve({
          domain: pool,
          subdomain: 'crash',
        });
        // The claim is committed; the process dies before its first PowerDNS call.
        const claimed = await ctx.store.claimRelease(
          { poolDomain: pool, subdomain: 'crash' },
          { reservationToken: r.reservationToken },
          { leaseMs: LEASE_MS },
        );
        expect(claimed).toHaveProperty('claim');
        // Within the lease, a sweep leaves it to its holder and a retried release says it is in progress.
        expect(await ctx.service.sweep()).toEqual({ swept: 0, failed: 0 });
        const during = await ctx.service.release({
          domain: pool,
          subdomain: 'crash',
          reservationToken: r.reservationToken,
        });
        expect(during.body).toMatchObject({ warning: 'release-in-progress' });
        expect(await ctx.plain.zoneExists(fqdn)).toBe(true);

        await sleep(LEASE_MS + 100);
        expect(await ctx.service.sweep()).toEqual({ swept: 1, failed: 0 });
        expect(await expectConsistent('crash')).toBeUndefined();
      });

      it('a sweep whose PowerDNS call fails hands the claim back and the next pass finishes it', async () => {
        await ctx.service.reserve({ domain: pool, subdomain: 'flaky' });
        await knex('pool_allocations')
          .where({ subdomain: 'flaky' })
          .update({ expires_at: new Date(Date.now() - 1000) });
        ctx.probe.unreachable('PATCH', new RegExp(`/zones/${pool}\\.$`));
        expect(await ctx.service.sweep()).toEqual({ swept: 0, failed: 1 });
        expect(
          await ctx.store.get({ poolDomain: pool, subdomain: 'flaky' }),
        ).toMatchObject({ releasing: true });
        expect(await ctx.service.sweep()).toEqual({ swept: 1, failed: 0 });
        expect(await expectConsistent('flaky')).toBeUndefined();
      });

      it('BYO zones: a create that fails leaves nothing, a delete that fails is finished by the sweep, a create whose backend died is undone by the sweep', async () => {
        const domain = uniquePoolDomain();
        byoDomains.push(domain);
        const actor = { createdBy: 'task-b', sovereignFQDN: domain };
        const key = () =>
          fetch(
            `${ctx.env.url}/api/v1/servers/localhost/tsigkeys/dns01.${domain}.`,
            { headers: { 'X-API-Key': ctx.env.apiKey } },
          ).then(res => res.status);

        // Create fails at its last step (the update metadata): no row, no zone, no key.
        ctx.probe.unreachable(
          'PUT',
          new RegExp(`/zones/${domain}\\./metadata/TSIG-ALLOW-DNSUPDATE$`),
        );
        await expect(ctx.byo.createZone(domain, actor)).rejects.toMatchObject({
          status: 502,
          code: 'dns-error',
        });
        expect(await ctx.byoStore.get(domain)).toBeUndefined();
        expect(await ctx.plain.zoneExists(domain)).toBe(false);
        expect(await key()).toBe(404);

        // Created; a delete whose zone deletion fails keeps the row marked `deleting`.
        await ctx.byo.createZone(domain, actor);
        ctx.probe.unreachable('DELETE', new RegExp(`/zones/${domain}\\.$`));
        await expect(ctx.byo.deleteZone(domain, actor)).rejects.toMatchObject({
          status: 502,
        });
        expect(await ctx.byoStore.get(domain)).toMatchObject({
          pending: 'deleting',
        });
        // Nobody writes records into, or re-creates, a zone being deleted.
        await expect(
          ctx.byo.writeRecords(domain, '192.0.2.9', actor),
        ).rejects.toMatchObject({ status: 409, code: 'zone-busy' });
        await expect(ctx.byo.createZone(domain, actor)).rejects.toMatchObject({
          status: 409,
          code: 'zone-busy',
        });
        expect(await ctx.byo.sweep()).toEqual({ swept: 1, failed: 0 });
        expect(await ctx.byoStore.get(domain)).toBeUndefined();
        expect(await ctx.plain.zoneExists(domain)).toBe(false);
        expect(await key()).toBe(404);

        // A backend that dies after committing the `creating` row and creating the zone: within the lease the
        // sweep leaves it alone, after it the sweep removes zone and row.
        expect(
          await ctx.byoStore.insertPending(
            domain,
            { createdBy: 'task-b', sovereignFQDN: domain, owner: null },
            'dead-claim',
            new Date(Date.now() + LEASE_MS),
          ),
        ).toBe(true);
        await ctx.plain.createSignedZone(domain, NAMESERVERS);
        expect(await ctx.byo.sweep()).toEqual({ swept: 0, failed: 0 });
        await expect(ctx.byo.createZone(domain, actor)).rejects.toMatchObject({
          code: 'zone-busy',
        });
        await sleep(LEASE_MS + 100);
        expect(await ctx.byo.sweep()).toEqual({ swept: 1, failed: 0 });
        expect(await ctx.byoStore.get(domain)).toBeUndefined();
        expect(await ctx.plain.zoneExists(domain)).toBe(false);

        // And the creator's retry after a crash takes its stale row over and finishes the zone.
        await ctx.byoStore.insertPending(
          domain,
          { createdBy: 'task-b', sovereignFQDN: domain, owner: null },
          'dead-claim-2',
          new Date(Date.now() - 1),
        );
        const created = await ctx.byo.createZone(domain, actor);
        expect(created.ds.length).toBeGreaterThan(0);
        expect(await ctx.byoStore.get(domain)).toMatchObject({
          pending: null,
          createdBy: 'task-b',
        });
        expect(await key()).toBe(200);
        await ctx.byo.deleteZone(domain, actor);
        expect(await ctx.plain.zoneExists(domain)).toBe(false);
      });
    });
  },
);
