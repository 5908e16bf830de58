import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import request from 'supertest';
import { createRouter } from '../router';
import { omantelUpsert } from '../sovereigns/__fixtures__/sovereign';
import { createSovereignsRouter } from '../sovereigns/createSovereignsRouter';
import { SovereignChangePublisher } from '../sovereigns/SovereignChangePublisher';
import { SovereignStore } from '../sovereigns/SovereignStore';
import {
  createPlatformRouter,
  platformAuthPolicies,
} from './createPlatformRouter';
import { KubeconfigCipher } from './kubeconfigCipher';
import { PlatformStore } from './PlatformStore';

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

const NAME = 'omantel-omani-works';
const BASE = `/api/catalyst/v1/sovereigns/${NAME}`;
const OWNER = 'user:default/alice';
const ADMIN = 'user:default/pat';
const OUTSIDER = 'user:default/bob';
const CLAIMS: Record<string, string[]> = {
  [OWNER]: [OWNER, 'group:default/omantel-platform'],
  [ADMIN]: [ADMIN, 'group:default/platform-team'],
  [OUTSIDER]: [OUTSIDER, 'group:default/team-b'],
};
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: omantel
  cluster:
    server: https://203.0.113.10:6443
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
users:
- name: admin
  user:
    token: cluster-admin-token-0123456789
contexts:
- name: omantel
  context:
    cluster: omantel
    user: admin
current-context: omantel
`;

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref = credentials.principal.userEntityRef;
      return { userEntityRef: ref, ownershipEntityRefs: CLAIMS[ref] ?? [ref] };
    },
  }),
});

const eventsFactory = createServiceFactory({
  service: eventsServiceRef,
  deps: {},
  factory: () => ({ publish: async () => {}, subscribe: async () => {} }),
});

describe.each(databases.eachSupportedId())(
  'kubeconfig handoff on %p',
  databaseId => {
    async function start(clock: { now: Date }) {
      const knex = await databases.init(databaseId);
      const now = () => clock.now;
      let platformStore: PlatformStore | undefined;
      let sovereignStore: SovereignStore | undefined;
      const plugin = createBackendPlugin({
        pluginId: 'catalyst',
        register(env) {
          env.registerInit({
            deps: {
              httpRouter: coreServices.httpRouter,
              httpAuth: coreServices.httpAuth,
              permissions: coreServices.permissions,
              userInfo: coreServices.userInfo,
              logger: coreServices.logger,
              events: eventsServiceRef,
            },
            async init(deps) {
              const database = mockServices.database({ knex });
              const store = await SovereignStore.create(database, { now });
              const platform = await PlatformStore.create(database, {
                cipher: new KubeconfigCipher(
                  'test-kubeconfig-key-0123456789abcdef',
                ),
                now,
              });
              platformStore = platform;
              sovereignStore = store;
              const publisher = new SovereignChangePublisher(
                deps.events,
                deps.logger,
              );
              for (const policy of platformAuthPolicies) {
                deps.httpRouter.addAuthPolicy(policy);
              }
              deps.httpRouter.use(
                createRouter([
                  createPlatformRouter({
                    store,
                    platform,
                    publisher,
                    httpAuth: deps.httpAuth,
                    userInfo: deps.userInfo,
                    permissions: deps.permissions,
                    logger: deps.logger,
                    handoffTtlMs: 60 * 60 * 1000,
                    adminGroups: ['group:default/platform-team'],
                  }),
                  createSovereignsRouter({
                    store,
                    publisher,
                    httpAuth: deps.httpAuth,
                    permissions: deps.permissions,
                    logger: deps.logger,
                    withPlatform: async record => ({
                      ...record,
                      ...(await platform.describe(record.name)),
                    }),
                  }),
                ]),
              );
            },
          });
        },
      });
      const { server } = await startTestBackend({
        features: [
          plugin,
          userInfoFactory,
          eventsFactory,
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        ],
      });
      await request(server)
        .put(BASE)
        .set('Authorization', mockCredentials.service.header())
        .send(omantelUpsert());
      return { server, knex, platform: platformStore!, store: sovereignStore! };
    }

    async function mint(server: any) {
      const res = await request(server)
        .post(`${BASE}/handoff-secret`)
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(201);
      expect(res.body.secret).toMatch(/^[0-9a-f]{64}$/);
      return res.body.secret as string;
    }

    const handOff = (server: any, secret: string, body = KUBECONFIG) =>
      request(server)
        .put(`${BASE}/kubeconfig`)
        .set('Authorization', `Bearer ${secret}`)
        .set('Content-Type', 'application/x-yaml')
        .send(body);

    it('accepts the kubeconfig once with the minted secret, stores only hashes and ciphertext, refuses a second use', async () => {
      const clock = { now: new Date('2026-12-03T10:00:00.000Z') };
      const { server, knex } = await start(clock);
      const secret = await mint(server);

      const tokens = await knex('catalyst_sovereign_kubeconfig_tokens');
      expect(tokens).toHaveLength(1);
      expect(JSON.stringify(tokens)).not.toContain(secret);

      const first = await handOff(server, secret);
      expect(first.status).toBe(204);

      const stored = await knex('catalyst_sovereign_kubeconfigs');
      expect(stored).toHaveLength(1);
      expect(stored[0].ciphertext).toMatch(/^v1:/);
      expect(stored[0].ciphertext).not.toContain('cluster-admin-token');

      const second = await handOff(
        server,
        secret,
        KUBECONFIG.replace('203.0.113.10', '203.0.113.99'),
      );
      expect(second.status).toBe(409);
      expect(JSON.stringify(second.body)).not.toContain(secret);

      // Still the first kubeconfig.
      const download = await request(server)
        .get(`${BASE}/kubeconfig`)
        .set('Authorization', mockCredentials.user.header(OWNER));
      expect(download.status).toBe(200);
      expect(download.text).toBe(KUBECONFIG);
      expect(download.headers['cache-control']).toBe('no-store');

      // The record says the kubeconfig arrived, never what it is.
      const record = await request(server)
        .get(BASE)
        .set('Authorization', mockCredentials.user.header(OUTSIDER));
      expect(record.body.kubeconfigReceivedAt).toBe('2026-12-03T10:00:00.000Z');
      expect(JSON.stringify(record.body)).not.toContain('cluster-admin-token');

      // No new secret once the kubeconfig is in.
      const again = await request(server)
        .post(`${BASE}/handoff-secret`)
        .set('Authorization', mockCredentials.service.header());
      expect(again.status).toBe(409);
    });

    it('refuses a wrong secret, a missing one and one for another Sovereign with 401 and stores nothing', async () => {
      const clock = { now: new Date('2026-12-03T10:00:00.000Z') };
      const { server, knex } = await start(clock);
      const secret = await mint(server);

      const wrong = await handOff(server, 'f'.repeat(64));
      expect(wrong.status).toBe(401);
      const none = await request(server)
        .put(`${BASE}/kubeconfig`)
        .set('Authorization', mockCredentials.none.header())
        .set('Content-Type', 'application/x-yaml')
        .send(KUBECONFIG);
      expect(none.status).toBe(401);
      const backstageToken = await request(server)
        .put(`${BASE}/kubeconfig`)
        .set('Authorization', mockCredentials.user.header(OWNER))
        .set('Content-Type', 'application/x-yaml')
        .send(KUBECONFIG);
      expect(backstageToken.status).toBe(401);
      const otherSovereign = await request(server)
        .put('/api/catalyst/v1/sovereigns/acme-example-com/kubeconfig')
        .set('Authorization', `Bearer ${secret}`)
        .set('Content-Type', 'application/x-yaml')
        .send(KUBECONFIG);
      expect(otherSovereign.status).toBe(401);
      expect(await knex('catalyst_sovereign_kubeconfigs')).toHaveLength(0);

      // A body that is not a kubeconfig is refused without using the secret up.
      const bad = await handOff(server, secret, 'just: [text');
      expect(bad.status).toBe(400);
      const noServer = await handOff(
        server,
        secret,
        'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n',
      );
      expect(noServer.status).toBe(400);
      expect(await knex('catalyst_sovereign_kubeconfigs')).toHaveLength(0);
      expect((await handOff(server, secret)).status).toBe(204);
    });

    it('refuses an expired secret with 401 and accepts a later one', async () => {
      const clock = { now: new Date('2026-12-03T10:00:00.000Z') };
      const { server, knex } = await start(clock);
      const old = await mint(server);
      clock.now = new Date('2026-12-03T11:00:00.001Z');
      const expired = await handOff(server, old);
      expect(expired.status).toBe(401);
      expect(await knex('catalyst_sovereign_kubeconfigs')).toHaveLength(0);

      const fresh = await mint(server);
      expect((await handOff(server, fresh)).status).toBe(204);
      // Every other secret of the Sovereign is used up with the first handoff.
      expect((await handOff(server, old)).status).toBe(409);
    });

    it('lets only the owners and platform admins download the kubeconfig', async () => {
      const clock = { now: new Date('2026-12-03T10:00:00.000Z') };
      const { server } = await start(clock);
      const before = await request(server)
        .get(`${BASE}/kubeconfig`)
        .set('Authorization', mockCredentials.user.header(OWNER));
      expect(before.status).toBe(404);

      expect((await handOff(server, await mint(server))).status).toBe(204);

      const owner = await request(server)
        .get(`${BASE}/kubeconfig`)
        .set('Authorization', mockCredentials.user.header(OWNER));
      expect(owner.status).toBe(200);
      expect(owner.text).toBe(KUBECONFIG);
      const admin = await request(server)
        .get(`${BASE}/kubeconfig`)
        .set('Authorization', mockCredentials.user.header(ADMIN));
      expect(admin.status).toBe(200);
      expect(admin.headers['content-disposition']).toContain(
        `${NAME}.kubeconfig.yaml`,
      );

      const outsider = await request(server)
        .get(`${BASE}/kubeconfig`)
        .set('Authorization', mockCredentials.user.header(OUTSIDER));
      expect(outsider.status).toBe(403);
      expect(outsider.text).not.toContain('cluster-admin-token');
      const service = await request(server)
        .get(`${BASE}/kubeconfig`)
        .set('Authorization', mockCredentials.service.header());
      expect(service.status).toBe(403);
      const anonymous = await request(server)
        .get(`${BASE}/kubeconfig`)
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
    });

    it('mints secrets only for services and managers, for Sovereigns in the registry', async () => {
      const clock = { now: new Date('2026-12-03T10:00:00.000Z') };
      const { server } = await start(clock);
      const anonymous = await request(server)
        .post(`${BASE}/handoff-secret`)
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
      const unknown = await request(server)
        .post('/api/catalyst/v1/sovereigns/acme-example-com/handoff-secret')
        .set('Authorization', mockCredentials.service.header());
      expect(unknown.status).toBe(404);
    });

    it('lets exactly one of two concurrent handoffs with the same secret through', async () => {
      const clock = { now: new Date('2026-12-03T10:00:00.000Z') };
      const { server, knex } = await start(clock);
      const secret = await mint(server);
      const results = await Promise.all([
        handOff(server, secret),
        handOff(server, secret),
        handOff(server, secret),
      ]);
      expect(results.map(r => r.status).sort()).toEqual([204, 409, 409]);
      expect(await knex('catalyst_sovereign_kubeconfigs')).toHaveLength(1);
    });
  },
);

describe('KubeconfigCipher', () => {
  it('binds a ciphertext to its Sovereign and key', () => {
    const cipher = new KubeconfigCipher('k'.repeat(40));
    const sealed = cipher.encrypt('a-example-com', KUBECONFIG);
    expect(cipher.decrypt('a-example-com', sealed)).toBe(KUBECONFIG);
    expect(() => cipher.decrypt('b-example-com', sealed)).toThrow();
    expect(() =>
      new KubeconfigCipher('x'.repeat(40)).decrypt('a-example-com', sealed),
    ).toThrow();
  });
});
