import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** Keys this module read under `catalyst.*` before it had a namespace of its own, and where they are now. */
const RENAMED_KEYS: Record<string, string> = {
  'catalyst.gitops': 'scaffolder.catalyst.gitops',
  'catalyst.tofu': 'scaffolder.catalyst.tofu',
  'catalyst.tls': 'scaffolder.catalyst.tls',
  'catalyst.provisioning': 'scaffolder.catalyst.provisioning',
  'catalyst.platform.handoffBaseUrl': 'scaffolder.catalyst.handoffBaseUrl',
};

/**
 * Fails the module's start when the configuration still sets a key under its old name, naming the new one: the
 * module would otherwise run without its GitOps repository or infrastructure module, or silently with defaults
 * (docs/configuration.md).
 */
export function assertNoRenamedKeys(config: Config): void {
  const found = Object.keys(RENAMED_KEYS).filter(key => config.has(key));
  if (found.length > 0) {
    throw new Error(
      `The Catalyst scaffolder module reads its configuration under scaffolder.catalyst now: move ${found
        .map(key => `${key} to ${RENAMED_KEYS[key]}`)
        .join(', ')} (docs/configuration.md)`,
    );
  }
}

/** Settings of the GitOps repository Flux watches (`scaffolder.catalyst.gitops`). */
export interface GitOpsSettings {
  repoUrl: string;
  branch: string;
  authorName: string;
  authorEmail: string;
  maxPushAttempts: number;
}

export function readGitOpsSettings(config: Config): GitOpsSettings {
  const gitops = config.getConfig('scaffolder.catalyst.gitops');
  return {
    repoUrl: gitops.getString('repoUrl'),
    branch: gitops.getOptionalString('branch') ?? 'main',
    authorName: gitops.getOptionalString('authorName') ?? 'Catalyst',
    authorEmail: gitops.getString('authorEmail'),
    maxPushAttempts: gitops.getOptionalNumber('maxPushAttempts') ?? 5,
  };
}

/** Margin added to the tofu timeout so a reservation outlives the longest expected run. */
const RESERVATION_MARGIN_SECONDS = 30 * 60;
const DEFAULT_TOFU_TIMEOUT_SECONDS = 30 * 60;

/**
 * TTL asked for on reserve: `scaffolder.catalyst.provisioning.reservationTtl` when set, else the tofu timeout
 * (`scaffolder.catalyst.tofu.timeout`) plus a 30-minute margin (docs/pdm.md §4: the reference's 10 minutes broke long runs).
 */
export function readReservationTtlSeconds(config: Config): number {
  const key = 'scaffolder.catalyst.provisioning.reservationTtl';
  if (config.has(key)) {
    return Math.ceil(
      durationToMilliseconds(readDurationFromConfig(config, { key })) / 1000,
    );
  }
  const tofuKey = 'scaffolder.catalyst.tofu.timeout';
  const tofuSeconds = config.has(tofuKey)
    ? Math.ceil(
        durationToMilliseconds(
          readDurationFromConfig(config, { key: tofuKey }),
        ) / 1000,
      )
    : DEFAULT_TOFU_TIMEOUT_SECONDS;
  return tofuSeconds + RESERVATION_MARGIN_SECONDS;
}

/** How often the reservation keeper looks at the tracked tasks. */
export function readKeeperPollIntervalMs(config: Config): number {
  const key = 'scaffolder.catalyst.provisioning.keeperPollInterval';
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : 15_000;
}

/** ACME settings of every Sovereign's cert-manager issuers (`scaffolder.catalyst.tls`, docs/tls.md). */
export interface TlsSettings {
  servers: { 'letsencrypt-production': string; 'letsencrypt-staging': string };
  /** The ClusterIssuer the wildcard certificates use. */
  issuer: 'letsencrypt-production' | 'letsencrypt-staging';
}

export const LETSENCRYPT_PRODUCTION =
  'https://acme-v02.api.letsencrypt.org/directory';
export const LETSENCRYPT_STAGING =
  'https://acme-staging-v02.api.letsencrypt.org/directory';

export function readTlsSettings(config: Config): TlsSettings {
  const tls = config.getOptionalConfig('scaffolder.catalyst.tls');
  const servers = {
    'letsencrypt-production':
      tls?.getOptionalString('acme.productionServer') ?? LETSENCRYPT_PRODUCTION,
    'letsencrypt-staging':
      tls?.getOptionalString('acme.stagingServer') ?? LETSENCRYPT_STAGING,
  };
  for (const [name, url] of Object.entries(servers)) {
    if (!/^https:\/\/\S+$/.test(url)) {
      throw new Error(
        `Invalid config value at 'scaffolder.catalyst.tls.acme.${
          name === 'letsencrypt-production'
            ? 'productionServer'
            : 'stagingServer'
        }': must be the https:// URL of an ACME directory`,
      );
    }
  }
  const issuer = tls?.getOptionalString('issuer') ?? 'letsencrypt-production';
  if (issuer !== 'letsencrypt-production' && issuer !== 'letsencrypt-staging') {
    throw new Error(
      `Invalid config value at 'scaffolder.catalyst.tls.issuer': "${issuer}" must be letsencrypt-production or letsencrypt-staging`,
    );
  }
  return { servers, issuer };
}
