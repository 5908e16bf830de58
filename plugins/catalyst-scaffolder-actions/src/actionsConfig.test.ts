import { ConfigReader } from '@backstage/config';
import {
  assertNoRenamedKeys,
  LETSENCRYPT_PRODUCTION,
  LETSENCRYPT_STAGING,
  readGitOpsSettings,
  readReservationTtlSeconds,
  readTlsSettings,
} from './actionsConfig';

describe('actionsConfig', () => {
  it('derives the reservation TTL from the tofu timeout plus a margin, or takes it as configured', () => {
    expect(readReservationTtlSeconds(new ConfigReader({}))).toBe(3600);
    expect(
      readReservationTtlSeconds(
        new ConfigReader({
          scaffolder: { catalyst: { tofu: { timeout: { minutes: 45 } } } },
        }),
      ),
    ).toBe(4500);
    expect(
      readReservationTtlSeconds(
        new ConfigReader({
          scaffolder: {
            catalyst: {
              provisioning: { reservationTtl: { hours: 2 } },
              tofu: { timeout: { minutes: 45 } },
            },
          },
        }),
      ),
    ).toBe(7200);
  });

  it('names the missing GitOps key and applies defaults', () => {
    expect(() =>
      readGitOpsSettings(
        new ConfigReader({
          scaffolder: { catalyst: { gitops: { authorEmail: 'a@b.c' } } },
        }),
      ),
    ).toThrow(/catalyst\.gitops\.repoUrl/);
    expect(
      readGitOpsSettings(
        new ConfigReader({
          scaffolder: {
            catalyst: {
              gitops: { repoUrl: 'file:///r.git', authorEmail: 'a@b.c' },
            },
          },
        }),
      ),
    ).toEqual({
      repoUrl: 'file:///r.git',
      branch: 'main',
      authorName: 'Catalyst',
      authorEmail: 'a@b.c',
      maxPushAttempts: 5,
    });
  });

  it("reads the ACME servers and the issuer, with Let's Encrypt production as the default", () => {
    expect(readTlsSettings(new ConfigReader({}))).toEqual({
      servers: {
        'letsencrypt-production': LETSENCRYPT_PRODUCTION,
        'letsencrypt-staging': LETSENCRYPT_STAGING,
      },
      issuer: 'letsencrypt-production',
    });
    expect(
      readTlsSettings(
        new ConfigReader({
          scaffolder: {
            catalyst: {
              tls: {
                acme: { stagingServer: 'https://acme.example.test/dir' },
                issuer: 'letsencrypt-staging',
              },
            },
          },
        }),
      ),
    ).toMatchObject({
      servers: { 'letsencrypt-staging': 'https://acme.example.test/dir' },
      issuer: 'letsencrypt-staging',
    });
    expect(() =>
      readTlsSettings(
        new ConfigReader({
          scaffolder: {
            catalyst: { tls: { acme: { productionServer: 'http://x' } } },
          },
        }),
      ),
    ).toThrow("'scaffolder.catalyst.tls.acme.productionServer'");
    expect(() =>
      readTlsSettings(
        new ConfigReader({
          scaffolder: { catalyst: { tls: { issuer: 'letsencrypt' } } },
        }),
      ),
    ).toThrow("'scaffolder.catalyst.tls.issuer'");
  });

  it('refuses keys under their old catalyst.* names and names where they moved', () => {
    expect(() =>
      assertNoRenamedKeys(
        new ConfigReader({
          catalyst: {
            gitops: { repoUrl: 'file:///tmp/g.git' },
            platform: { handoffBaseUrl: 'https://catalyst.example' },
            vouchers: { defaultCurrency: 'EUR' },
          },
        }),
      ),
    ).toThrow(
      'The Catalyst scaffolder module reads its configuration under scaffolder.catalyst now: move catalyst.gitops to scaffolder.catalyst.gitops, catalyst.platform.handoffBaseUrl to scaffolder.catalyst.handoffBaseUrl (docs/configuration.md)',
    );
    // catalyst-backend's own keys stay where they are.
    expect(() =>
      assertNoRenamedKeys(
        new ConfigReader({
          catalyst: { platform: { kubeconfigKey: 'k' }, vouchers: {} },
          scaffolder: { catalyst: { gitops: { repoUrl: 'file:///g.git' } } },
        }),
      ),
    ).not.toThrow();
  });
});
