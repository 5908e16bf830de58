/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRegistrarError"] }] */
import { ConfigReader } from '@backstage/config';
import { createRegistrarAdapters, REGISTRAR_IDS } from './index';
import { expectRegistrarError } from './expectRegistrarError';
import { FakeDynadotServer, FakeGoDaddyServer } from './testing';

describe('createRegistrarAdapters', () => {
  it('always returns the five adapters, sorted by name, with their propagation hints', () => {
    const adapters = createRegistrarAdapters(new ConfigReader({}));
    expect(adapters.map(adapter => adapter.name)).toEqual([
      'cloudflare',
      'dynadot',
      'godaddy',
      'namecheap',
      'ovh',
    ]);
    expect(REGISTRAR_IDS).toEqual(adapters.map(adapter => adapter.name));
    expect(
      Object.fromEntries(adapters.map(a => [a.name, a.propagation])),
    ).toEqual({
      cloudflare: 'minutes; full TLD up to 24 h',
      godaddy: '1–4 h; TLD up to 48 h',
      namecheap: '1–2 h; TLD up to 48 h',
      ovh: 'asynchronous task queue; 1–4 h',
      dynadot: '30–60 min',
    });
  });

  it('uses the real upstream URLs by default', async () => {
    const urls: string[] = [];
    const fetchImpl: typeof fetch = async input => {
      urls.push(String(input));
      return new Response('{}', { status: 503 });
    };
    const adapters = createRegistrarAdapters(new ConfigReader({}), {
      fetch: fetchImpl,
    });
    // Tokens of the right shape for each upstream, so every adapter reaches its first HTTP call.
    const tokens: Record<string, string> = {
      cloudflare: 'cf-token',
      dynadot: 'key:secret',
      godaddy: 'key:secret',
      namecheap: 'user:key:127.0.0.1',
      ovh: 'app:secret:consumer',
    };
    for (const adapter of adapters) {
      await expectRegistrarError(
        adapter.getNameservers(tokens[adapter.name], 'acme.com'),
        'api-unavailable',
      );
    }
    const origins = urls.map(url => {
      const parsed = new URL(url);
      return `${parsed.origin}${parsed.pathname}`;
    });
    expect(origins).toEqual(
      expect.arrayContaining([
        'https://api.cloudflare.com/client/v4/zones',
        'https://api.dynadot.com/api3.json',
        'https://api.godaddy.com/v1/domains/acme.com',
        'https://api.namecheap.com/xml.response',
        'https://eu.api.ovh.com/1.0/auth/time',
      ]),
    );
  });

  it('honours pdm.registrars.<id>.baseUrl and timeout', async () => {
    const godaddy = new FakeGoDaddyServer();
    const dynadot = new FakeDynadotServer();
    godaddy.addApiKey('k', 's', 'shopper');
    godaddy.addDomain({
      domain: 'acme.com',
      shopper: 'shopper',
      nameServers: ['ns1.openova.io'],
    });
    dynadot.addApiKey('dk', 'ds', 'acct');
    dynadot.addDomain('acme.com', 'acct', ['ns2.openova.io']);
    try {
      const config = new ConfigReader({
        pdm: {
          registrars: {
            godaddy: { baseUrl: await godaddy.start(), timeout: 300 },
            dynadot: {
              baseUrl: await dynadot.start(),
              timeout: { seconds: 2 },
            },
          },
        },
      });
      const adapters = createRegistrarAdapters(config);
      const byName = new Map(adapters.map(adapter => [adapter.name, adapter]));
      expect(
        await byName.get('godaddy')!.getNameservers('k:s', 'acme.com'),
      ).toEqual(['ns1.openova.io']);
      expect(
        await byName.get('dynadot')!.getNameservers('dk:ds', 'acme.com'),
      ).toEqual(['ns2.openova.io']);

      // 300 ms timeout for GoDaddy: a 1 s delay is a timeout.
      godaddy.failNext({ delayMs: 1000 });
      const error = await expectRegistrarError(
        byName.get('godaddy')!.getNameservers('k:s', 'acme.com'),
        'api-unavailable',
      );
      expect(error.message).toBe('GoDaddy API did not answer within 0.3 s');
      // 2 s for Dynadot: a 500 ms delay still answers.
      dynadot.failNext({ delayMs: 500 });
      expect(
        await byName.get('dynadot')!.getNameservers('dk:ds', 'acme.com'),
      ).toEqual(['ns2.openova.io']);
    } finally {
      await godaddy.stop();
      await dynadot.stop();
    }
  });

  it('rejects unknown registrar ids, bad URLs and bad timeouts with the offending key', () => {
    expect(() =>
      createRegistrarAdapters(
        new ConfigReader({ pdm: { registrars: { gandi: {} } } }),
      ),
    ).toThrow(/pdm\.registrars\.gandi is not a known registrar/);
    expect(() =>
      createRegistrarAdapters(
        new ConfigReader({
          pdm: { registrars: { ovh: { baseUrl: 'not a url' } } },
        }),
      ),
    ).toThrow(/pdm\.registrars\.ovh\.baseUrl is not a valid URL/);
    expect(() =>
      createRegistrarAdapters(
        new ConfigReader({
          pdm: { registrars: { ovh: { baseUrl: 'ftp://x' } } },
        }),
      ),
    ).toThrow(/pdm\.registrars\.ovh\.baseUrl must be an http\(s\) URL/);
    expect(() =>
      createRegistrarAdapters(
        new ConfigReader({
          pdm: { registrars: { cloudflare: { timeout: 0 } } },
        }),
      ),
    ).toThrow(
      /pdm\.registrars\.cloudflare\.timeout must be a positive duration/,
    );
    expect(() =>
      createRegistrarAdapters(
        new ConfigReader({
          pdm: { registrars: { cloudflare: { timeout: 'soon' } } },
        }),
      ),
    ).toThrow();
  });
});
