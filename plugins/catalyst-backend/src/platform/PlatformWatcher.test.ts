import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { sovereignRecordUpsertSchema } from '@catalyst/plugin-catalyst-common';
import path from 'node:path';
import { omantelUpsert } from '../sovereigns/__fixtures__/sovereign';
import { SovereignChangePublisher } from '../sovereigns/SovereignChangePublisher';
import { SovereignStore } from '../sovereigns/SovereignStore';
import { KubeconfigCipher } from './kubeconfigCipher';
import { kubernetesClient } from './kubernetesClient';
import { PlatformStore } from './PlatformStore';
import { PlatformWatcher, PlatformWatcherSettings } from './PlatformWatcher';

jest.setTimeout(120_000);

// The watcher loads the Kubernetes client on its first session; the tests time sessions, not module loading
// (which under Jest includes transforming the client's ESM sources), so it is loaded once up front.
beforeAll(() => {
  kubernetesClient();
});

// The stand-in is the embedded default's cluster (scripts/cluster-standin.js), a plain CommonJS module.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const { startClusterStandin } = require(path.resolve(
  __dirname,
  '../../../../scripts/cluster-standin.js',
));

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
if (
  process.env.CATALYST_TEST_REQUIRE_POSTGRES &&
  !databases.supports('POSTGRES_15')
) {
  throw new Error(
    'CATALYST_TEST_REQUIRE_POSTGRES is set but POSTGRES_15 is not available (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)',
  );
}

const NAME = 'omantel-omani-works';

/** A small overlay: cert-manager ← external-secrets ← openbao, and gitea on its own. */
const RELEASES = [
  { metadata: { name: 'bp-cilium', namespace: 'flux-system' }, spec: {} },
  {
    metadata: { name: 'bp-cert-manager', namespace: 'flux-system' },
    spec: { dependsOn: [{ name: 'bp-cilium' }] },
  },
  {
    metadata: { name: 'bp-external-secrets', namespace: 'flux-system' },
    spec: { dependsOn: [{ name: 'bp-cert-manager' }] },
  },
  {
    metadata: { name: 'bp-openbao', namespace: 'flux-system' },
    spec: { dependsOn: [{ name: 'bp-external-secrets' }] },
  },
  {
    metadata: { name: 'bp-gitea', namespace: 'flux-system' },
    spec: { dependsOn: [{ name: 'bp-cilium' }] },
  },
];
const BLUEPRINTS = RELEASES.map(r => `${r.metadata.name}@1.0.0`);

const silentEvents = {
  publish: async () => {},
  subscribe: async () => {},
} as any;

describe.each(databases.eachSupportedId())(
  'PlatformWatcher against the cluster stand-in on %p',
  databaseId => {
    let standin: any;
    afterEach(async () => {
      await standin?.close();
      standin = undefined;
    });

    async function setUp(options: {
      faults?: Record<string, unknown>;
      settings?: Partial<PlatformWatcherSettings>;
      stepMs?: number;
      bookmarkMs?: number;
      withCluster?: boolean;
    }) {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const store = await SovereignStore.create(database);
      const platform = await PlatformStore.create(database, {
        cipher: new KubeconfigCipher('watcher-test-key-0123456789abcdefgh'),
      });
      const logger = mockServices.logger.mock();
      const watcher = new PlatformWatcher({
        store,
        platform,
        publisher: new SovereignChangePublisher(silentEvents, logger),
        logger,
        settings: {
          pollInterval: { milliseconds: 100 },
          sessionLength: { seconds: 20 },
          readyTimeout: { minutes: 5 },
          handoffTtl: { hours: 1 },
          ...options.settings,
        },
      });
      await store.upsert(
        NAME,
        sovereignRecordUpsertSchema.parse(
          omantelUpsert({ blueprints: BLUEPRINTS, phase: 'bootstrapping' }),
        ),
      );
      standin = await startClusterStandin({
        stepMs: options.stepMs ?? 100,
        bookmarkMs: options.bookmarkMs ?? 5000,
      });
      if (options.withCluster !== false) {
        const res = await fetch(`${standin.url}/_standin/clusters`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: NAME,
            releases: RELEASES,
            faults: options.faults,
          }),
        });
        const { kubeconfig } = await res.json();
        const { secret } = await platform.mintHandoffSecret(NAME, 60_000);
        const check = await platform.checkHandoffSecret(NAME, secret);
        if (!('tokenId' in check)) throw new Error('secret refused');
        await platform.completeHandoff(NAME, check.tokenId, kubeconfig);
      }
      return { store, platform, watcher };
    }

    async function runUntilDecided(watcher: PlatformWatcher) {
      const controller = new AbortController();
      const run = watcher.runOnce(controller.signal, { stopWhenIdle: true });
      return run;
    }

    it('moves a Sovereign from bootstrapping to ready once every HelmRelease is ready, in dependsOn order', async () => {
      const { store, platform, watcher } = await setUp({
        bookmarkMs: 50,
        stepMs: 150,
      });
      await runUntilDecided(watcher);
      const record = await store.get(NAME);
      expect(record?.phase).toBe('ready');
      const readiness = await platform.getReadiness(NAME);
      expect(readiness?.firstBlocked).toBeUndefined();
      const names = readiness!.components.map(c => c.name);
      expect(names[0]).toBe('flux-system');
      // Dependencies come before what depends on them.
      expect(names.indexOf('bp-cert-manager')).toBeLessThan(
        names.indexOf('bp-external-secrets'),
      );
      expect(names.indexOf('bp-external-secrets')).toBeLessThan(
        names.indexOf('bp-openbao'),
      );
      expect(readiness!.components.every(c => c.ready)).toBe(true);
      const events = await store.listEvents(NAME);
      const readyEvents = events
        .filter(e => / is ready$/.test(e.message))
        .map(e => e.message);
      expect(
        readyEvents.indexOf('HelmRelease bp-cert-manager is ready'),
      ).toBeLessThan(readyEvents.indexOf('HelmRelease bp-openbao is ready'));
      expect(events.at(-1)).toMatchObject({
        phase: 'ready',
        message: 'All 6 platform components are ready',
      });
      const stats = watcher.lastStats.get(NAME)!;
      expect(stats.lists).toBe(2);
      expect(stats.bookmarks).toBeGreaterThan(0);
      expect(stats.relists410).toBe(0);
    });

    it('names a release whose CRD is missing as the root cause and degrades the Sovereign without waiting for the deadline', async () => {
      const { store, platform, watcher } = await setUp({
        faults: { missingCrd: ['bp-external-secrets'] },
      });
      await runUntilDecided(watcher);
      const record = await store.get(NAME);
      expect(record?.phase).toBe('degraded');
      expect(record?.phaseReason).toBe('CRDMissing');
      const readiness = (await platform.getReadiness(NAME))!;
      expect(readiness.firstBlocked).toBe('bp-external-secrets');
      const byName = new Map(readiness.components.map(c => [c.name, c]));
      expect(byName.get('bp-external-secrets')).toMatchObject({
        ready: false,
        state: 'failed',
        cause: 'CRDMissing',
        reason: 'InstallFailed',
      });
      expect(byName.get('bp-openbao')).toMatchObject({
        ready: false,
        state: 'blocked',
        cause: 'DependencyNotReady',
        blockedBy: 'bp-external-secrets',
      });
      expect(byName.get('bp-gitea')?.ready).toBe(true);
      const events = await store.listEvents(NAME);
      expect(events.at(-1)?.message).toContain(
        'blocked at bp-external-secrets (CRDMissing',
      );
    });

    it('times a release that never becomes ready out and blames it, not what waits on it', async () => {
      const { store, platform, watcher } = await setUp({
        faults: { neverReady: ['bp-cert-manager'] },
        settings: { readyTimeout: { seconds: 3 } },
      });
      await runUntilDecided(watcher);
      const record = await store.get(NAME);
      expect(record?.phase).toBe('degraded');
      expect(record?.phaseReason).toBe('TimedOut');
      const readiness = (await platform.getReadiness(NAME))!;
      expect(readiness.firstBlocked).toBe('bp-cert-manager');
      const byName = new Map(readiness.components.map(c => [c.name, c]));
      expect(byName.get('bp-cert-manager')).toMatchObject({
        state: 'failed',
        cause: 'TimedOut',
      });
      expect(byName.get('bp-external-secrets')).toMatchObject({
        state: 'blocked',
        blockedBy: 'bp-cert-manager',
      });
      expect(byName.get('bp-openbao')?.blockedBy).toBe('bp-external-secrets');
    });

    it('reconnects after a dropped watch, relists on 410 Gone and still reaches ready', async () => {
      const { store, watcher } = await setUp({
        faults: { dropWatch: true },
        stepMs: 200,
      });
      await runUntilDecided(watcher);
      expect((await store.get(NAME))?.phase).toBe('ready');
      const stats = watcher.lastStats.get(NAME)!;
      expect(stats.relists410).toBeGreaterThanOrEqual(1);
      expect(stats.lists).toBeGreaterThanOrEqual(3);
      expect(stats.watches).toBeGreaterThanOrEqual(3);
    });

    it('waits while the Flux CRDs are not installed yet (404) and carries on when they appear', async () => {
      const { store, watcher } = await setUp({
        faults: { fluxCrdsAfterMs: 1500 },
      });
      await runUntilDecided(watcher);
      expect((await store.get(NAME))?.phase).toBe('ready');
      const stats = watcher.lastStats.get(NAME)!;
      expect(stats.crdMissing).toEqual(
        expect.arrayContaining(['helmreleases', 'kustomizations']),
      );
    });

    it('fails a Sovereign whose cluster never hands its kubeconfig back', async () => {
      const { store, watcher } = await setUp({
        withCluster: false,
        settings: {
          handoffTtl: { milliseconds: 1 },
          sessionLength: { seconds: 1 },
        },
      });
      await new Promise(r => setTimeout(r, 20));
      await runUntilDecided(watcher);
      const record = await store.get(NAME);
      expect(record?.phase).toBe('failed');
      expect(record?.phaseReason).toBe('KubeconfigNotReceived');
    });
  },
);
