import { loadConfigSchema } from '@backstage/config-loader';

describe('the config schema of the Catalyst scaffolder module', () => {
  it('is loaded from the package, lives under scaffolder.catalyst and keeps the state connection secret', async () => {
    const schema = await loadConfigSchema({
      dependencies: ['@catalyst/plugin-scaffolder-backend-module-catalyst'],
    });
    const configs = [
      {
        context: 'test',
        data: {
          scaffolder: {
            catalyst: {
              gitops: {
                repoUrl: 'https://git.example/gitops.git',
                authorEmail: 'catalyst@example.com',
              },
              tofu: {
                modulePath: 'infra/hetzner',
                workDir: '/var/lib/catalyst/tofu',
                stateBackend: 'pg',
                pgConnectionString: 'postgres://tofu:the-password@db/tofu',
              },
              handoffBaseUrl: 'https://catalyst.example',
            },
          },
        },
      },
    ];
    // Only this package's keys are given; the other packages' required keys are not this test's concern.
    const secrets = schema.process(configs, {
      visibility: ['secret'],
      ignoreSchemaErrors: true,
    });
    expect(secrets.map(c => c.data)).toEqual([
      {
        scaffolder: {
          catalyst: {
            tofu: {
              pgConnectionString: 'postgres://tofu:the-password@db/tofu',
            },
          },
        },
      },
    ]);
    const frontend = schema.process(configs, {
      visibility: ['frontend'],
      ignoreSchemaErrors: true,
    });
    expect(JSON.stringify(frontend)).not.toContain('the-password');
  });

  it('rejects a GitOps block without its repository under scaffolder.catalyst', async () => {
    const schema = await loadConfigSchema({
      dependencies: ['@catalyst/plugin-scaffolder-backend-module-catalyst'],
    });
    expect(() =>
      schema.process([
        {
          context: 'test',
          data: {
            // What the Backstage packages this one depends on require of every configuration.
            app: { baseUrl: 'http://localhost:3000' },
            backend: {
              baseUrl: 'http://localhost:7007',
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
            scaffolder: {
              catalyst: {
                gitops: { authorEmail: 'a@b.c' },
                tofu: { modulePath: 'infra/sandbox', workDir: '/w' },
              },
            },
          },
        },
      ]),
    ).toThrow(/repoUrl/);
  });
});
