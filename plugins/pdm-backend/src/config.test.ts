import { ConfigReader } from '@backstage/config';
import { readPdmConfig } from './config';

const base = { powerdns: { baseUrl: 'http://pdns:8081/', apiKey: 'k' } };

describe('readPdmConfig', () => {
  it('applies the reference defaults', () => {
    const config = readPdmConfig(new ConfigReader({ pdm: base }));
    expect(config).toMatchObject({
      powerdns: {
        baseUrl: 'http://pdns:8081',
        serverId: 'localhost',
        timeoutMs: 30_000,
      },
      nameservers: ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'],
      poolDomains: ['omani.works', 'openova.io'],
      reservationTtlMs: 600_000,
      maxReservationTtlMs: 3 * 3600_000,
      sweeperInterval: { seconds: 30 },
      delegation: { resolvers: [], authoritativePort: 53, timeoutMs: 5000 },
    });
  });

  it('accepts short strings, ISO durations and duration objects, and normalises names', () => {
    const config = readPdmConfig(
      new ConfigReader({
        pdm: {
          ...base,
          reservationTtl: '15m',
          maxReservationTtl: 'PT2H',
          sweeperInterval: { seconds: 5 },
          nameservers: [
            'NS1.Example.NET.',
            'ns1.example.net',
            ' ns2.example.net ',
          ],
          poolDomains: ['Omani.Works.'],
        },
      }),
    );
    expect(config.reservationTtlMs).toBe(900_000);
    expect(config.maxReservationTtlMs).toBe(7_200_000);
    expect(config.sweeperInterval).toEqual({ seconds: 5 });
    expect(config.nameservers).toEqual(['ns1.example.net', 'ns2.example.net']);
    expect(config.poolDomains).toEqual(['omani.works']);
  });

  it('fails fast naming the key', () => {
    expect(() => readPdmConfig(new ConfigReader({}))).toThrow(
      'pdm.powerdns.baseUrl',
    );
    expect(() =>
      readPdmConfig(new ConfigReader({ pdm: { ...base, nameservers: [] } })),
    ).toThrow("'pdm.nameservers': the list must not be empty");
    expect(() =>
      readPdmConfig(
        new ConfigReader({ pdm: { ...base, poolDomains: ['under_score.io'] } }),
      ),
    ).toThrow("'pdm.poolDomains'");
    expect(() =>
      readPdmConfig(
        new ConfigReader({
          pdm: { ...base, reservationTtl: '2h', maxReservationTtl: '1h' },
        }),
      ),
    ).toThrow("'pdm.maxReservationTtl'");
    expect(() =>
      readPdmConfig(
        new ConfigReader({ pdm: { ...base, reservationTtl: 'soon' } }),
      ),
    ).toThrow('pdm.reservationTtl');
  });
});
