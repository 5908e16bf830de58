import { ConfigReader } from '@backstage/config';
import { readGitOpsSettings, readReservationTtlSeconds } from './actionsConfig';

describe('actionsConfig', () => {
  it('derives the reservation TTL from the tofu timeout plus a margin, or takes it as configured', () => {
    expect(readReservationTtlSeconds(new ConfigReader({}))).toBe(3600);
    expect(
      readReservationTtlSeconds(
        new ConfigReader({ catalyst: { tofu: { timeout: { minutes: 45 } } } }),
      ),
    ).toBe(4500);
    expect(
      readReservationTtlSeconds(
        new ConfigReader({
          catalyst: {
            provisioning: { reservationTtl: { hours: 2 } },
            tofu: { timeout: { minutes: 45 } },
          },
        }),
      ),
    ).toBe(7200);
  });

  it('names the missing GitOps key and applies defaults', () => {
    expect(() =>
      readGitOpsSettings(
        new ConfigReader({ catalyst: { gitops: { authorEmail: 'a@b.c' } } }),
      ),
    ).toThrow(/catalyst\.gitops\.repoUrl/);
    expect(
      readGitOpsSettings(
        new ConfigReader({
          catalyst: {
            gitops: { repoUrl: 'file:///r.git', authorEmail: 'a@b.c' },
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
});
