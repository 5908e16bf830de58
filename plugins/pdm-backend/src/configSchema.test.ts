import { loadConfigSchema } from '@backstage/config-loader';

describe('the config schema of pdm-backend', () => {
  it('is loaded from the package and keeps the PowerDNS credentials secret', async () => {
    const schema = await loadConfigSchema({
      dependencies: ['@catalyst/plugin-pdm-backend'],
    });
    const configs = [
      {
        context: 'test',
        data: {
          pdm: {
            powerdns: {
              baseUrl: 'http://powerdns.example:8081',
              apiKey: 'the-api-key',
              authorization: 'Bearer the-ingress-token',
            },
            poolDomains: ['omani.works'],
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
        pdm: {
          powerdns: {
            apiKey: 'the-api-key',
            authorization: 'Bearer the-ingress-token',
          },
        },
      },
    ]);
    const frontend = schema.process(configs, {
      visibility: ['frontend'],
      ignoreSchemaErrors: true,
    });
    expect(JSON.stringify(frontend)).not.toContain('the-api-key');
  });

  it('rejects a PowerDNS block without its API key', async () => {
    const schema = await loadConfigSchema({
      dependencies: ['@catalyst/plugin-pdm-backend'],
    });
    expect(() =>
      schema.process([
        {
          context: 'test',
          data: { pdm: { powerdns: { baseUrl: 'http://powerdns:8081' } } },
        },
      ]),
    ).toThrow(/apiKey/);
  });
});
