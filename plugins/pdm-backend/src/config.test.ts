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

  it('reads the DNS-01 settings: nameserver host:port and the update sources, with defaults', () => {
    expect(readPdmConfig(new ConfigReader({ pdm: base })).dns01).toEqual({
      algorithm: 'hmac-sha256',
      nameserver: 'ns1.openova.io:53',
      allowUpdateFrom: ['0.0.0.0/0', '::/0'],
    });
    expect(
      readPdmConfig(
        new ConfigReader({
          pdm: {
            ...base,
            dns01: {
              nameserver: '127.0.0.1:5354',
              allowUpdateFrom: [' 198.51.100.0/24 ', '2001:db8::/32'],
            },
          },
        }),
      ).dns01,
    ).toEqual({
      algorithm: 'hmac-sha256',
      nameserver: '127.0.0.1:5354',
      allowUpdateFrom: ['198.51.100.0/24', '2001:db8::/32'],
    });
    for (const nameserver of ['ns1.openova.io', 'ns1:0', 'a b:53', ':53']) {
      expect(() =>
        readPdmConfig(
          new ConfigReader({ pdm: { ...base, dns01: { nameserver } } }),
        ),
      ).toThrow("'pdm.dns01.nameserver'");
    }
    expect(() =>
      readPdmConfig(
        new ConfigReader({ pdm: { ...base, dns01: { allowUpdateFrom: [] } } }),
      ),
    ).toThrow("'pdm.dns01.allowUpdateFrom': the list must not be empty");
    expect(() =>
      readPdmConfig(
        new ConfigReader({
          pdm: { ...base, dns01: { allowUpdateFrom: ['everyone'] } },
        }),
      ),
    ).toThrow('"everyone" is not an address or CIDR block');
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
