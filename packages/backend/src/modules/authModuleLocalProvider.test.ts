import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import authPlugin from '@backstage/plugin-auth-backend';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  assertLocalProviderAllowed,
  authModuleLocalProvider,
  readLocalUserName,
} from './authModuleLocalProvider';

const req = (query: Record<string, unknown>, header?: string) => ({
  query,
  header: (name: string) =>
    name === 'x-catalyst-local-user' ? header : undefined,
});

describe('local sign-in provider', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('reads the user from ?user= or from the picker header', () => {
    expect(readLocalUserName(req({ user: 'alice' }))).toBe('alice');
    expect(readLocalUserName(req({ user: ' Bob ' }))).toBe('bob');
    expect(readLocalUserName(req({}, 'guest'))).toBe('guest');
  });

  it('refuses a missing or malformed user name with a specific message', () => {
    expect(() => readLocalUserName(req({}))).toThrow(
      /needs the user to sign in as: POST \/api\/auth\/local\/refresh\?user=<name>/,
    );
    for (const bad of ['alice/admin', 'user:default/alice', '-x', 'a b']) {
      expect(() => readLocalUserName(req({ user: bad }))).toThrow(
        /is not a catalog user name/,
      );
    }
  });

  it('refuses to run with NODE_ENV=production', () => {
    expect(() =>
      assertLocalProviderAllowed({ NODE_ENV: 'production' }),
    ).toThrow(/refuses to run with NODE_ENV=production/);
    expect(() =>
      assertLocalProviderAllowed({ NODE_ENV: 'development' }),
    ).not.toThrow();
  });

  it('is mounted only when auth.providers.local is configured', async () => {
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        authModuleLocalProvider,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
      ],
    });
    const res = await request(server)
      .post('/api/auth/local/refresh?user=alice')
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(res.status).toBe(404);
    expect(res.text).toContain("Unknown auth provider 'local'");
  });

  it('is configured for the embedded default and switched off by the production configuration', () => {
    const root = path.resolve(__dirname, '../../../..');
    const read = (file: string) => ({
      context: file,
      data: yaml.parse(fs.readFileSync(path.join(root, file), 'utf8')),
    });
    const embedded = ConfigReader.fromConfigs([read('app-config.yaml')]);
    expect(embedded.has('auth.providers.local')).toBe(true);
    // Production runs with --config app-config.yaml --config app-config.production.yaml.
    const production = ConfigReader.fromConfigs([
      read('app-config.yaml'),
      read('app-config.production.yaml'),
    ]);
    expect(production.has('auth.providers.local')).toBe(false);
    expect(production.has('auth.providers.guest')).toBe(false);
    expect(production.getConfig('auth.providers').keys()).toEqual(['github']);
  });

  it('stops the backend from starting when configured with NODE_ENV=production', async () => {
    process.env.NODE_ENV = 'production';
    await expect(
      startTestBackend({
        features: [
          authPlugin,
          authModuleLocalProvider,
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://localhost:3000' },
              auth: { providers: { local: {} } },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/refuses to run with NODE_ENV=production/);
  });
});
