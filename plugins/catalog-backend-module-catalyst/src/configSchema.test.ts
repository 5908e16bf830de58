import { loadConfigSchema } from '@backstage/config-loader';
import { JsonObject } from '@backstage/types';

/** The provider's keys in a configuration that has what the packages it depends on require. */
function catalystProvider(catalyst: JsonObject) {
  return [
    {
      context: 'test',
      data: {
        app: { baseUrl: 'http://localhost:3000' },
        backend: {
          baseUrl: 'http://localhost:7007',
          listen: { port: 7007 },
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        catalog: { providers: { catalyst } },
      },
    },
  ];
}

describe('the config schema of the Catalyst catalog module', () => {
  it('accepts every form of the provider schedule Backstage reads', async () => {
    const schema = await loadConfigSchema({
      dependencies: ['@catalyst/plugin-catalog-backend-module-catalyst'],
    });
    const schedules = [
      { frequency: { minutes: 5 }, timeout: { minutes: 2 } },
      { frequency: 'PT5M', timeout: 'PT2M', initialDelay: { seconds: 30 } },
      { frequency: { cron: '0 * * * *' }, timeout: { minutes: 2 } },
      { frequency: { trigger: 'manual' }, timeout: 'PT1M', scope: 'local' },
    ];
    for (const schedule of schedules) {
      expect(() =>
        schema.process(
          catalystProvider({
            schedule,
            blueprints: { owner: 'group:default/platform-team' },
          }),
        ),
      ).not.toThrow();
    }
  });

  it('refuses a schedule without a timeout and an unknown scope', async () => {
    const schema = await loadConfigSchema({
      dependencies: ['@catalyst/plugin-catalog-backend-module-catalyst'],
    });
    expect(() =>
      schema.process(
        catalystProvider({ schedule: { frequency: { minutes: 5 } } }),
      ),
    ).toThrow(/timeout/);
    expect(() =>
      schema.process(
        catalystProvider({
          schedule: {
            frequency: { minutes: 5 },
            timeout: { minutes: 2 },
            scope: 'everywhere',
          },
        }),
      ),
    ).toThrow(/scope/);
  });
});
