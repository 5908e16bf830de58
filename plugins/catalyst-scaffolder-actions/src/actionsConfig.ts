import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** Settings of the GitOps repository Flux watches (`catalyst.gitops`). */
export interface GitOpsSettings {
  repoUrl: string;
  branch: string;
  authorName: string;
  authorEmail: string;
  maxPushAttempts: number;
}

export function readGitOpsSettings(config: Config): GitOpsSettings {
  const gitops = config.getConfig('catalyst.gitops');
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
 * TTL asked for on reserve: `catalyst.provisioning.reservationTtl` when set, else the tofu timeout
 * (`catalyst.tofu.timeout`) plus a 30-minute margin (pdm.md §4: the reference's 10 minutes broke long runs).
 */
export function readReservationTtlSeconds(config: Config): number {
  const key = 'catalyst.provisioning.reservationTtl';
  if (config.has(key)) {
    return Math.ceil(
      durationToMilliseconds(readDurationFromConfig(config, { key })) / 1000,
    );
  }
  const tofuKey = 'catalyst.tofu.timeout';
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
  const key = 'catalyst.provisioning.keeperPollInterval';
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : 15_000;
}
