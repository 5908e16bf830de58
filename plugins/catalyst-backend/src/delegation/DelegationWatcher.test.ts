import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EventParams } from '@backstage/plugin-events-node';
import {
  sovereignEntityName,
  sovereignRecordUpsertSchema,
} from '@catalyst/plugin-catalyst-common';
import { omantelUpsert } from '../sovereigns/__fixtures__/sovereign';
import { SovereignChangePublisher } from '../sovereigns/SovereignChangePublisher';
import { SovereignStore } from '../sovereigns/SovereignStore';
import {
  DelegationWatcher,
  readDelegationWatcherSettings,
} from './DelegationWatcher';
import { PdmDelegationClient } from './PdmDelegationClient';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
if (
  process.env.CATALYST_TEST_REQUIRE_POSTGRES &&
  !databases.supports('POSTGRES_15')
) {
  throw new Error(
    'CATALYST_TEST_REQUIRE_POSTGRES is set but POSTGRES_15 is not available (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)',
  );
}

const NAMESERVERS = ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'];

/**
 * Stands in for PDM's `GET /api/pdm/v1/delegation/{fqdn}`: requires a Backstage service token addressed to pdm
 * (as PDM's router does) and answers in PDM's report shape from what the test says the parent delegates.
 */
class FakePdm {
  readonly delegatedTo = new Map<string, string[]>();
  readonly requests: string[] = [];
  failing = false;
  private server?: http.Server;
  url = '';

  async start() {
    this.server = http.createServer((req, res) => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const auth = req.headers.authorization ?? '';
      const prefix = 'Bearer mock-service-token:';
      let target: string | undefined;
      try {
        target = auth.startsWith(prefix)
          ? JSON.parse(auth.slice(prefix.length)).target
          : undefined;
      } catch {
        target = undefined;
      }
      if (target !== 'pdm') {
        send(401, {
          error: { name: 'AuthenticationError', message: 'Missing token' },
          response: { statusCode: 401 },
        });
        return;
      }
      const match = /^\/api\/pdm\/v1\/delegation\/([^/?]+)$/.exec(
        req.url ?? '',
      );
      if (req.method !== 'GET' || !match) {
        send(404, { error: 'not-found' });
        return;
      }
      const fqdn = decodeURIComponent(match[1]);
      this.requests.push(fqdn);
      if (this.failing) {
        send(503, { error: 'unavailable', detail: 'resolver down' });
        return;
      }
      const observed = [...(this.delegatedTo.get(fqdn) ?? [])].sort();
      send(200, {
        fqdn,
        parent: fqdn.split('.').slice(1).join('.'),
        delegated:
          observed.length === NAMESERVERS.length &&
          observed.every((ns, i) => ns === NAMESERVERS[i]),
        expected: NAMESERVERS,
        observed,
        servers: [],
      });
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    this.url = `http://127.0.0.1:${
      (this.server!.address() as AddressInfo).port
    }`;
  }

  async stop() {
    await new Promise(resolve => this.server?.close(resolve));
  }
}

describe('readDelegationWatcherSettings', () => {
  it('defaults to every 60 seconds and 48 hours, and reads both keys', () => {
    expect(readDelegationWatcherSettings(new ConfigReader({}))).toEqual({
      pollInterval: { seconds: 60 },
      timeout: { hours: 48 },
    });
    expect(
      readDelegationWatcherSettings(
        new ConfigReader({
          catalyst: {
            delegation: { pollInterval: '5m', timeout: { hours: 24 } },
          },
        }),
      ),
    ).toEqual({ pollInterval: { minutes: 5 }, timeout: { hours: 24 } });
    expect(() =>
      readDelegationWatcherSettings(
        new ConfigReader({ catalyst: { delegation: { timeout: 'soon' } } }),
      ),
    ).toThrow(/catalyst\.delegation\.timeout/);
  });
});

describe.each(databases.eachSupportedId())(
  'DelegationWatcher on %p (local PDM stand-in)',
  databaseId => {
    const pdm = new FakePdm();
    beforeAll(() => pdm.start());
    afterAll(() => pdm.stop());
    beforeEach(() => {
      pdm.delegatedTo.clear();
      pdm.requests.length = 0;
      pdm.failing = false;
    });

    async function setUp() {
      const clock = { now: new Date('2026-11-25T10:00:00.000Z') };
      const knex = await databases.init(databaseId);
      const store = await SovereignStore.create(
        mockServices.database({ knex }),
        { now: () => clock.now },
      );
      const published: EventParams[] = [];
      const publisher = new SovereignChangePublisher(
        {
          publish: async (params: EventParams) => {
            published.push(params);
          },
          subscribe: async () => {},
        },
        mockServices.logger.mock(),
      );
      const watcher = new DelegationWatcher({
        store,
        publisher,
        delegation: new PdmDelegationClient({
          discovery: {
            getBaseUrl: async (pluginId: string) =>
              `${pdm.url}/api/${pluginId}`,
            getExternalBaseUrl: async (pluginId: string) =>
              `${pdm.url}/api/${pluginId}`,
          },
          auth: mockServices.auth(),
        }),
        logger: mockServices.logger.mock(),
        timeout: { hours: 48 },
        now: () => clock.now,
      });
      const add = async (
        fqdn: string,
        domain: Record<string, string>,
        phase: 'dns-pending' | 'provisioning' = 'dns-pending',
      ) => {
        const name = sovereignEntityName(fqdn);
        await store.upsert(
          name,
          sovereignRecordUpsertSchema.parse(
            omantelUpsert({ fqdn, domain: domain as any, phase }),
          ),
        );
        return name;
      };
      return { clock, store, published, watcher, add };
    }

    it('moves a byo-manual Sovereign to ready once the parent delegates to PDM, and leaves others alone', async () => {
      const { clock, store, published, watcher, add } = await setUp();
      const acme = await add('acme.example', {
        mode: 'byo-manual',
        byoDomain: 'acme.example',
      });
      const pool = await add('omantel.omani.works', {
        mode: 'pool',
        poolDomain: 'omani.works',
        subdomain: 'omantel',
      });
      const building = await add(
        'beta.example',
        { mode: 'byo-manual', byoDomain: 'beta.example' },
        'provisioning',
      );

      clock.now = new Date('2026-11-25T11:00:00.000Z');
      pdm.delegatedTo.set('acme.example', ['ns1.registrar.example']);
      expect(await watcher.runOnce()).toEqual([
        { name: acme, outcome: 'waiting' },
      ]);
      expect(pdm.requests).toEqual(['acme.example']);
      expect((await store.get(acme))?.phase).toBe('dns-pending');

      clock.now = new Date('2026-11-25T12:00:00.000Z');
      pdm.delegatedTo.set('acme.example', [...NAMESERVERS].reverse());
      expect(await watcher.runOnce()).toEqual([
        { name: acme, outcome: 'ready' },
      ]);
      const record = await store.get(acme);
      expect(record).toMatchObject({
        phase: 'ready',
        phaseChangedAt: '2026-11-25T12:00:00.000Z',
      });
      expect((await store.listEvents(acme)).at(-1)).toEqual({
        time: '2026-11-25T12:00:00.000Z',
        phase: 'ready',
        level: 'info',
        message:
          'Delegation of acme.example to ns1.openova.io, ns2.openova.io, ns3.openova.io seen',
      });
      expect(published.at(-1)).toEqual({
        topic: 'catalyst.sovereign',
        eventPayload: { action: 'upsert', record },
      });

      // Nothing is pending any more; the pool and the still-provisioning Sovereigns were never asked about.
      expect(await watcher.runOnce()).toEqual([]);
      expect(pdm.requests).toEqual(['acme.example', 'acme.example']);
      expect((await store.get(pool))?.phase).toBe('dns-pending');
      expect((await store.get(building))?.phase).toBe('provisioning');
    });

    it('fails a Sovereign with delegation-timeout 48 hours after it entered dns-pending', async () => {
      const { clock, store, watcher, add } = await setUp();
      const acme = await add('acme.example', {
        mode: 'byo-manual',
        byoDomain: 'acme.example',
      });
      // Re-recording the same phase later must not restart the clock.
      clock.now = new Date('2026-11-26T10:00:00.000Z');
      await store.setPhase(acme, {
        phase: 'dns-pending',
        reason: 'awaiting-delegation',
        message: 'Set the NS records',
      });

      clock.now = new Date('2026-11-27T09:59:59.000Z');
      expect(await watcher.runOnce()).toEqual([
        { name: acme, outcome: 'waiting' },
      ]);

      clock.now = new Date('2026-11-27T10:00:00.000Z');
      expect(await watcher.runOnce()).toEqual([
        { name: acme, outcome: 'timed-out' },
      ]);
      expect(await store.get(acme)).toMatchObject({
        phase: 'failed',
        phaseReason: 'delegation-timeout',
      });
      expect((await store.listEvents(acme)).at(-1)).toMatchObject({
        phase: 'failed',
        level: 'error',
        message:
          'The NS delegation of acme.example was not seen within 48 hours of waiting (since 2026-11-25T10:00:00.000Z)',
      });
    });

    it('keeps waiting while PDM cannot answer, and still times out', async () => {
      const { clock, store, watcher, add } = await setUp();
      const acme = await add('acme.example', {
        mode: 'byo-manual',
        byoDomain: 'acme.example',
      });
      pdm.failing = true;
      clock.now = new Date('2026-11-25T11:00:00.000Z');
      expect(await watcher.runOnce()).toEqual([
        { name: acme, outcome: 'check-failed' },
      ]);
      expect((await store.get(acme))?.phase).toBe('dns-pending');

      clock.now = new Date('2026-11-27T11:00:00.000Z');
      expect(await watcher.runOnce()).toEqual([
        { name: acme, outcome: 'timed-out' },
      ]);
      expect((await store.listEvents(acme)).at(-1)?.message).toMatch(
        /the last check failed: PDM GET \/v1\/delegation\/acme\.example answered 503/,
      );
    });
  },
);
