import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { PoolAllocationStore } from '../database/PoolAllocationStore';
import { PowerDnsClient } from '../powerdns/PowerDnsClient';
import {
  OwnPowerDns,
  describeWithPowerDns,
  digShort,
  sharedPowerDns,
  testDatabases,
  uniquePoolDomain,
} from '../__testUtils__/testEnvironment';
import { PoolAllocationService } from './PoolAllocationService';

jest.setTimeout(180_000);

const databases = testDatabases();
const NAMESERVERS = ['ns1.openova.io', 'ns2.openova.io'];

async function setup(
  knex: Knex,
  env: { url: string; apiKey: string },
  pool: string,
  retryDelaysMs?: number[],
) {
  const store = await PoolAllocationStore.create(
    mockServices.database({ knex }),
  );
  // Short retries and timeouts: the tests stop PowerDNS on purpose.
  const powerDns = new PowerDnsClient({
    baseUrl: env.url,
    apiKey: env.apiKey,
    retryDelaysMs,
    timeoutMs: 3000,
  });
  const service = new PoolAllocationService({
    store,
    powerDns,
    logger: mockServices.logger.mock(),
    poolDomains: [pool],
    nameservers: NAMESERVERS,
    reservationTtlMs: 600_000,
    maxReservationTtlMs: 3_600_000,
  });
  await service.bootstrapParentZones();
  return { store, powerDns, service };
}

describeWithPowerDns('PDM reliability (integration)', () => {
  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    describe('with a PowerDNS that stops and comes back', () => {
      let pdns: OwnPowerDns;
      let knex: Knex;
      const pool = uniquePoolDomain();

      beforeAll(async () => {
        pdns = await OwnPowerDns.start();
        knex = await databases.init(databaseId);
      });
      afterAll(async () => {
        await pdns?.destroy();
      });

      it('keeps allocations consistent when PowerDNS is down and finishes the job on retry', async () => {
        const { service, store, powerDns } = await setup(
          knex,
          pdns.env,
          pool,
          [0, 50, 100],
        );
        const fqdn = `alpha.${pool}`;
        const reservation = await service.reserve({
          domain: pool,
          subdomain: 'alpha',
        });
        const commit = {
          domain: pool,
          subdomain: 'alpha',
          reservationToken: reservation.reservationToken,
          sovereignFQDN: fqdn,
          loadBalancerIP: '192.0.2.44',
        };

        await pdns.stop();
        // Commit: the row goes active (nothing can steal it), the caller is told DNS is missing.
        const failed = await service.commit(commit);
        expect(failed.status).toBe(202);
        expect(failed.body).toMatchObject({
          warning: 'dns-write-failed',
          state: 'active',
          sovereignFQDN: fqdn,
          loadBalancerIP: '192.0.2.44',
        });
        expect(String(failed.body.detail)).toMatch(/transport error/);
        expect(String(failed.body.detail)).not.toContain(pdns.env.apiKey);
        expect(
          await store.get({ poolDomain: pool, subdomain: 'alpha' }),
        ).toMatchObject({
          state: 'active',
          expiresAt: null,
        });
        // A reserve while PowerDNS is down fails loudly and leaves no row.
        await expect(
          service.reserve({ domain: pool, subdomain: 'beta' }),
        ).rejects.toMatchObject({ status: 502, code: 'dns-error' });
        expect(
          await store.get({ poolDomain: pool, subdomain: 'beta' }),
        ).toBeUndefined();

        await pdns.resume();
        const retried = await service.commit(commit);
        expect(retried.status).toBe(200);
        expect(await digShort(pdns.env.dnsPort, `api.${fqdn}`, 'A')).toEqual([
          '192.0.2.44',
        ]);
        expect(await powerDns.zoneExists(`beta.${pool}`)).toBe(false);

        // Release while down: the row goes, DNS is reported as left behind; the retry removes it.
        await pdns.stop();
        const partial = await service.release({
          domain: pool,
          subdomain: 'alpha',
          reservationToken: reservation.reservationToken,
        });
        expect(partial.status).toBe(202);
        expect(partial.body).toMatchObject({ warning: 'dns-teardown-failed' });
        await pdns.resume();
        expect(await powerDns.zoneExists(fqdn)).toBe(true);
        const finished = await service.release({
          domain: pool,
          subdomain: 'alpha',
          reservationToken: reservation.reservationToken,
        });
        expect(finished.status).toBe(200);
        expect(await powerDns.zoneExists(fqdn)).toBe(false);
        expect(await digShort(pdns.env.dnsPort, fqdn, 'DS')).toEqual([]);
      });
    });

    describe('on the shared PowerDNS', () => {
      const env = sharedPowerDns()!;
      let knex: Knex;
      let ctx: Awaited<ReturnType<typeof setup>>;
      const pool = uniquePoolDomain();

      beforeAll(async () => {
        knex = await databases.init(databaseId);
        ctx = await setup(knex, env, pool);
      });
      afterAll(async () => {
        for (const row of await knex('pool_allocations').select('subdomain')) {
          await ctx.powerDns.deleteZone(`${row.subdomain}.${pool}`);
        }
        await ctx.powerDns.deleteZone(pool);
      });

      it('rolls a reserve back completely when a DNS step fails', async () => {
        // A pool whose parent zone is missing makes the delegation PATCH fail after the child exists.
        const orphanPool = uniquePoolDomain();
        const service = new PoolAllocationService({
          store: ctx.store,
          powerDns: ctx.powerDns,
          logger: mockServices.logger.mock(),
          poolDomains: [orphanPool],
          nameservers: NAMESERVERS,
          reservationTtlMs: 600_000,
          maxReservationTtlMs: 3_600_000,
        });
        const error = await service
          .reserve({ domain: orphanPool, subdomain: 'gamma' })
          .catch(e => e);
        expect(error).toMatchObject({ status: 502, code: 'dns-error' });
        expect(error.message).toContain('nothing was reserved');
        expect(
          await ctx.store.get({ poolDomain: orphanPool, subdomain: 'gamma' }),
        ).toBeUndefined();
        expect(await ctx.powerDns.zoneExists(`gamma.${orphanPool}`)).toBe(
          false,
        );
      });

      it('commits a pending row before the DNS work: a sweep of a reserve whose backend died leaves nothing behind', async () => {
        const fqdn = `pending.${pool}`;
        let finish!: () => void;
        const provisioned = new Promise<void>(resolve => {
          finish = resolve;
        });
        let undone = false;
        // The DNS work runs outside any transaction; this backend then stalls (as if it died) before promoting.
        const reserving = ctx.store.reserve(
          {
            poolDomain: pool,
            subdomain: 'pending',
            createdBy: 'test',
            ttlMs: 600_000,
            pendingMs: 200,
          },
          async () => {
            await ctx.powerDns.createZone(fqdn, NAMESERVERS);
            await provisioned;
          },
          async () => {
            undone = true;
            await ctx.powerDns.deleteZone(fqdn);
          },
        );
        reserving.catch(() => undefined);
        // Committed at once: another connection sees the name taken while the zone is being made.
        await new Promise(resolve => setTimeout(resolve, 100));
        expect(
          await ctx.store.get({ poolDomain: pool, subdomain: 'pending' }),
        ).toMatchObject({ state: 'reserved' });
        const conflict = await ctx.service
          .reserve({ domain: pool, subdomain: 'pending' })
          .catch(e => e);
        expect(conflict).toMatchObject({ status: 409 });

        // The short pending expiry passes; the sweeper tears the zone down and frees the name.
        await new Promise(resolve => setTimeout(resolve, 300));
        await ctx.service.sweep();
        expect(
          await ctx.store.get({ poolDomain: pool, subdomain: 'pending' }),
        ).toBeUndefined();
        expect(await ctx.powerDns.zoneExists(fqdn)).toBe(false);

        // The stalled reserve wakes up: it cannot promote a row it no longer has, and removes its DNS again.
        finish();
        await expect(reserving).rejects.toMatchObject({ status: 409 });
        expect(undone).toBe(true);
        expect(await ctx.powerDns.zoneExists(fqdn)).toBe(false);
      });

      it('is idempotent for its creator: the same createdBy gets its live reservation back, anyone else a conflict', async () => {
        const fqdn = `again.${pool}`;
        const first = await ctx.service.reserve({
          domain: pool,
          subdomain: 'again',
          createdBy: 'catalyst/task-a',
          owner: 'group:default/team-a',
        });
        // The creator's backend died before it recorded the answer: the re-run gets the same reservation.
        const again = await ctx.service.reserve({
          domain: pool,
          subdomain: 'again',
          createdBy: 'catalyst/task-a',
          owner: 'group:default/team-a',
        });
        expect(again).toMatchObject({
          reservationToken: first.reservationToken,
          expiresAt: first.expiresAt,
          state: 'reserved',
          createdBy: 'catalyst/task-a',
        });
        expect(await ctx.powerDns.zoneExists(fqdn)).toBe(true);
        for (const createdBy of ['catalyst/task-b', undefined]) {
          await expect(
            ctx.service.reserve({
              domain: pool,
              subdomain: 'again',
              createdBy,
            }),
          ).rejects.toMatchObject({ status: 409, code: 'conflict' });
        }
        // Concurrent reserves of one creator: one reservation, every success carries its token.
        const concurrent = await Promise.all(
          Array.from({ length: 20 }, () =>
            ctx.service
              .reserve({
                domain: pool,
                subdomain: 'together',
                createdBy: 'catalyst/task-t',
              })
              .then(
                r => r.reservationToken,
                (e: { status: number }) => e.status,
              ),
          ),
        );
        const tokens = new Set(concurrent.filter(t => typeof t === 'string'));
        expect(tokens.size).toBe(1);
        expect(concurrent.filter(t => typeof t !== 'string')).toEqual(
          concurrent.filter(t => t === 409),
        );
        const together = await ctx.store.get({
          poolDomain: pool,
          subdomain: 'together',
        });
        expect(together).toMatchObject({ state: 'reserved' });
        expect(await ctx.powerDns.zoneExists(`together.${pool}`)).toBe(true);
        // The returned token is the live one: it commits.
        const committed = await ctx.service.commit({
          domain: pool,
          subdomain: 'again',
          reservationToken: again.reservationToken,
          sovereignFQDN: fqdn,
          loadBalancerIP: '192.0.2.60',
        });
        expect(committed.status).toBe(200);
        // Once active the name is nobody's to reserve, its creator's included.
        await expect(
          ctx.service.reserve({
            domain: pool,
            subdomain: 'again',
            createdBy: 'catalyst/task-a',
          }),
        ).rejects.toMatchObject({ status: 409 });
        // An expired reservation is not handed back: it is replaced by a fresh one.
        const stale = await ctx.store.reserve(
          {
            poolDomain: pool,
            subdomain: 'stale',
            createdBy: 'catalyst/task-c',
            ttlMs: 1000,
            now: new Date(Date.now() - 60_000),
          },
          async () => {},
        );
        const fresh = await ctx.service.reserve({
          domain: pool,
          subdomain: 'stale',
          createdBy: 'catalyst/task-c',
        });
        expect(fresh.reservationToken).not.toBe(stale.reservationToken);
        expect(await ctx.powerDns.zoneExists(`stale.${pool}`)).toBe(true);
      });

      it("takes over its creator's pending row whose DNS work died, and the stalled first run leaves the zone alone", async () => {
        const fqdn = `takeover.${pool}`;
        let finish!: () => void;
        const stalled = new Promise<void>(resolve => {
          finish = resolve;
        });
        let undone = false;
        const first = ctx.store.reserve(
          {
            poolDomain: pool,
            subdomain: 'takeover',
            createdBy: 'catalyst/task-d',
            ttlMs: 600_000,
            pendingMs: 1000,
          },
          async () => {
            await ctx.powerDns.createZone(fqdn, NAMESERVERS);
            await stalled;
          },
          async () => {
            undone = true;
            await ctx.powerDns.deleteZone(fqdn);
          },
        );
        first.catch(() => undefined);
        await new Promise(resolve => setTimeout(resolve, 100));
        // Nobody else takes a pending name.
        await expect(
          ctx.service.reserve({
            domain: pool,
            subdomain: 'takeover',
            createdBy: 'catalyst/task-e',
          }),
        ).rejects.toMatchObject({ status: 409 });
        // While the pending row is young its first run may still be working: its creator too gets the conflict.
        await expect(
          ctx.service.reserve({
            domain: pool,
            subdomain: 'takeover',
            createdBy: 'catalyst/task-d',
          }),
        ).rejects.toMatchObject({
          status: 409,
          message: expect.stringContaining('still being reserved'),
        });
        // Past half its pending window the same creator redoes the DNS work from scratch under a new token.
        await new Promise(resolve => setTimeout(resolve, 500));
        const second = await ctx.service.reserve({
          domain: pool,
          subdomain: 'takeover',
          createdBy: 'catalyst/task-d',
        });
        expect(await ctx.powerDns.zoneExists(fqdn)).toBe(true);
        expect(
          await ctx.store.get({ poolDomain: pool, subdomain: 'takeover' }),
        ).toMatchObject({ state: 'reserved', expiresAt: second.expiresAt });
        // The first run wakes up: its token is no longer the row's, it fails and does not remove the zone.
        finish();
        await expect(first).rejects.toMatchObject({ status: 409 });
        expect(undone).toBe(false);
        expect(await ctx.powerDns.zoneExists(fqdn)).toBe(true);
        // The reservation works with the new token: a release with it removes row and zone.
        const released = await ctx.service.release({
          domain: pool,
          subdomain: 'takeover',
          reservationToken: second.reservationToken,
        });
        expect(released.status).toBe(200);
        expect(await ctx.powerDns.zoneExists(fqdn)).toBe(false);
      });

      it('a release during a reserve: the reserve fails and no zone is left', async () => {
        const fqdn = `racing.${pool}`;
        // A release arrives while the reserve is in its DNS work (the row is committed, not yet promoted).
        const reserving = ctx.store.reserve(
          {
            poolDomain: pool,
            subdomain: 'racing',
            createdBy: 'test',
            ttlMs: 600_000,
          },
          async reservation => {
            await ctx.powerDns.createZone(fqdn, NAMESERVERS);
            // A release needs the reservation token (a reserved row is released only with it).
            await ctx.service.release({
              domain: pool,
              subdomain: 'racing',
              reservationToken: reservation.reservationToken,
            });
          },
          () => ctx.powerDns.deleteZone(fqdn),
        );
        await expect(reserving).rejects.toMatchObject({ status: 409 });
        expect(
          await ctx.store.get({ poolDomain: pool, subdomain: 'racing' }),
        ).toBeUndefined();
        expect(await ctx.powerDns.zoneExists(fqdn)).toBe(false);
      });

      it('starts a reservation with a clean zone when an old one was left behind', async () => {
        const fqdn = `delta.${pool}`;
        await ctx.powerDns.createZone(fqdn, NAMESERVERS);
        await ctx.powerDns.addARecord(fqdn, `old.${fqdn}`, '192.0.2.1');
        await ctx.service.reserve({ domain: pool, subdomain: 'delta' });
        expect(await digShort(env.dnsPort, `old.${fqdn}`, 'A')).toEqual([]);
        expect(await digShort(env.dnsPort, fqdn, 'DS')).not.toEqual([]);
      });

      it('never leaves an orphaned zone when the sweeper and a commit race', async () => {
        const names = Array.from({ length: 8 }, (_, i) => `race${i}`);
        const reservations = [];
        for (const subdomain of names) {
          reservations.push(
            await ctx.service.reserve({ domain: pool, subdomain }),
          );
        }
        // All expire at the same instant; commits and sweeps are fired right at it.
        const expiry = new Date(Date.now() + 400);
        await knex('pool_allocations')
          .whereIn('subdomain', names)
          .update({ expires_at: expiry });
        await new Promise(r =>
          setTimeout(r, expiry.getTime() - Date.now() - 5),
        );
        const outcomes = await Promise.all([
          ...reservations.map((r, i) =>
            ctx.service
              .commit({
                domain: pool,
                subdomain: r.subdomain,
                reservationToken: r.reservationToken,
                sovereignFQDN: `${r.subdomain}.${pool}`,
                loadBalancerIP: `192.0.2.${i + 10}`,
              })
              .then(
                res => res.status,
                e => e.code as string,
              ),
          ),
          ctx.service.sweep(),
          new Promise(r => setTimeout(r, 10)).then(() => ctx.service.sweep()),
          new Promise(r => setTimeout(r, 30)).then(() => ctx.service.sweep()),
        ]);
        await ctx.service.sweep();
        const commits = outcomes.slice(0, names.length);
        // 202: the commit won but PowerDNS (sqlite, under this burst) refused the write; the
        // same commit retried must finish it.
        const retries: unknown[] = [];
        for (const [i, outcome] of commits.entries()) {
          let status = outcome;
          // The test PowerDNS keeps its zones in SQLite, which can refuse writes under a burst.
          for (let attempt = 0; status === 202 && attempt < 5; attempt++) {
            await new Promise(r => setTimeout(r, 300));
            status = (
              await ctx.service.commit({
                domain: pool,
                subdomain: names[i],
                reservationToken: reservations[i].reservationToken,
                sovereignFQDN: `${names[i]}.${pool}`,
                loadBalancerIP: `192.0.2.${i + 10}`,
              })
            ).status;
          }
          retries.push(status);
        }
        expect(
          retries.filter(
            r => ![200, 'reservation-expired', 'not-found'].includes(r as any),
          ),
        ).toEqual([]);
        // Invariant: an active row has its zone and records; no row means no zone and no DS.
        const observed: string[] = [];
        for (const [i, name] of names.entries()) {
          const row = await ctx.store.get({
            poolDomain: pool,
            subdomain: name,
          });
          const fqdn = `${name}.${pool}`;
          const zone = await ctx.powerDns.zoneExists(fqdn);
          const a = await digShort(env.dnsPort, fqdn, 'A');
          const ds = await digShort(env.dnsPort, fqdn, 'DS');
          observed.push(
            `${name} row=${row?.state ?? 'none'} zone=${zone} a=${a.join(
              ',',
            )} ds=${ds.length > 0} commit=${retries[i]}`,
          );
        }
        const allowed = (name: string, i: number) => [
          `${name} row=active zone=true a=192.0.2.${i + 10} ds=true commit=200`,
          `${name} row=none zone=false a= ds=false commit=reservation-expired`,
          `${name} row=none zone=false a= ds=false commit=not-found`,
        ];
        expect(
          observed.filter((o, i) => !allowed(names[i], i).includes(o)),
        ).toEqual([]);
      });

      it('lets a renewed reservation outlive its first expiry under the sweeper', async () => {
        const r = await ctx.service.reserve({
          domain: pool,
          subdomain: 'longrun',
          ttlSeconds: 60,
        });
        await knex('pool_allocations')
          .where({ subdomain: 'longrun' })
          .update({ expires_at: new Date(Date.now() + 300) });
        await ctx.service.renew({
          domain: pool,
          subdomain: 'longrun',
          reservationToken: r.reservationToken,
          ttlSeconds: 3600,
        });
        await new Promise(res => setTimeout(res, 400));
        await ctx.service.sweep();
        const committed = await ctx.service.commit({
          domain: pool,
          subdomain: 'longrun',
          reservationToken: r.reservationToken,
          sovereignFQDN: `longrun.${pool}`,
          loadBalancerIP: '192.0.2.99',
        });
        expect(committed.status).toBe(200);
      });
    });
  });
});
