import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import {
  checkDomainName,
  normalizeDomainInput,
} from '@catalyst/plugin-catalyst-common';
import { Dns01Settings, defaultDns01Settings } from './dns01/Dns01Access';

/** PDM settings, read once at startup (docs/pdm.md §1). */
export interface PdmConfig {
  powerdns: {
    baseUrl: string;
    apiKey: string;
    serverId: string;
    authorization?: string;
    timeoutMs: number;
  };
  /** Lower-case, no trailing dot, de-duplicated, never empty. */
  nameservers: string[];
  /** Lower-case, sorted, de-duplicated. */
  poolDomains: string[];
  reservationTtlMs: number;
  maxReservationTtlMs: number;
  sweeperInterval: HumanDuration;
  delegation: {
    resolvers: string[];
    authoritativePort: number;
    timeoutMs: number;
  };
  /** Per-Sovereign DNS UPDATE access for ACME DNS-01 (docs/tls.md). */
  dns01: Dns01Settings;
}

const HOST_PORT =
  /^(\[[0-9a-f:]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?):[0-9]{1,5}$/i;
const NETWORK = /^([0-9.]+|[0-9a-f:]+)(\/[0-9]{1,3})?$/i;

function readDns01(config: Config, nameservers: string[]): Dns01Settings {
  const defaults = defaultDns01Settings(nameservers);
  const nameserver =
    config.getOptionalString('dns01.nameserver')?.trim() ?? defaults.nameserver;
  const port = Number(nameserver.split(':').pop());
  if (!HOST_PORT.test(nameserver) || port < 1 || port > 65535) {
    throw new Error(
      `Invalid config value at 'pdm.dns01.nameserver': "${nameserver}" must be host:port, e.g. ns1.openova.io:53`,
    );
  }
  const allowUpdateFrom =
    config.getOptionalStringArray('dns01.allowUpdateFrom') ??
    defaults.allowUpdateFrom;
  if (allowUpdateFrom.length === 0) {
    throw new Error(
      "Invalid config value at 'pdm.dns01.allowUpdateFrom': the list must not be empty (no Sovereign could obtain a certificate)",
    );
  }
  for (const network of allowUpdateFrom) {
    if (!NETWORK.test(network.trim())) {
      throw new Error(
        `Invalid config value at 'pdm.dns01.allowUpdateFrom': "${network}" is not an address or CIDR block`,
      );
    }
  }
  return {
    algorithm: defaults.algorithm,
    nameserver,
    allowUpdateFrom: allowUpdateFrom.map(n => n.trim()),
  };
}

export const DEFAULT_NAMESERVERS = [
  'ns1.openova.io',
  'ns2.openova.io',
  'ns3.openova.io',
];
export const DEFAULT_POOL_DOMAINS = ['omani.works', 'openova.io'];

export function durationToMs(duration: HumanDuration): number {
  return durationToMilliseconds(duration);
}

function readDuration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  if (!config.has(key)) return fallback;
  try {
    return readDurationFromConfig(config, { key });
  } catch (error) {
    throw new Error(
      `Invalid config value at 'pdm.${key}': ${(error as Error).message}`,
    );
  }
}

/** A host name as PDM stores it: lower-case, trimmed, without the trailing dot. */
export function normalizeHostName(value: string): string {
  return normalizeDomainInput(value).replace(/\.$/, '');
}

export function readPdmConfig(root: Config): PdmConfig {
  const config = root.getOptionalConfig('pdm');
  if (!config) {
    throw new Error(
      "Missing required config value at 'pdm.powerdns.baseUrl' (PDM needs its PowerDNS API)",
    );
  }
  const baseUrl = config.getString('powerdns.baseUrl').replace(/\/+$/, '');
  const apiKey = config.getString('powerdns.apiKey');
  if (!/^https?:\/\//.test(baseUrl)) {
    throw new Error(
      "Invalid config value at 'pdm.powerdns.baseUrl': must be an http(s) URL",
    );
  }

  const nameservers = [
    ...new Set(
      (config.getOptionalStringArray('nameservers') ?? DEFAULT_NAMESERVERS)
        .map(normalizeHostName)
        .filter(ns => ns.length > 0),
    ),
  ];
  if (nameservers.length === 0) {
    throw new Error(
      "Invalid config value at 'pdm.nameservers': the list must not be empty",
    );
  }
  for (const ns of nameservers) {
    const problem = checkDomainName(ns);
    if (problem) {
      throw new Error(
        `Invalid config value at 'pdm.nameservers': "${ns}" ${problem}`,
      );
    }
  }

  const poolDomains = [
    ...new Set(
      (config.getOptionalStringArray('poolDomains') ?? DEFAULT_POOL_DOMAINS)
        .map(normalizeHostName)
        .filter(d => d.length > 0),
    ),
  ].sort();
  if (poolDomains.length === 0) {
    throw new Error(
      "Invalid config value at 'pdm.poolDomains': the list must not be empty",
    );
  }
  for (const domain of poolDomains) {
    const problem = checkDomainName(domain);
    if (problem) {
      throw new Error(
        `Invalid config value at 'pdm.poolDomains': "${domain}" ${problem}`,
      );
    }
  }

  const reservationTtlMs = durationToMs(
    readDuration(config, 'reservationTtl', { minutes: 10 }),
  );
  const maxReservationTtlMs = durationToMs(
    readDuration(config, 'maxReservationTtl', { hours: 3 }),
  );
  if (reservationTtlMs < 1000) {
    throw new Error(
      "Invalid config value at 'pdm.reservationTtl': must be at least 1 second",
    );
  }
  if (maxReservationTtlMs < reservationTtlMs) {
    throw new Error(
      "Invalid config value at 'pdm.maxReservationTtl': must not be shorter than pdm.reservationTtl",
    );
  }
  let sweeperInterval = readDuration(config, 'sweeperInterval', {
    seconds: 30,
  });
  // The reference treats a non-positive interval as the default.
  if (durationToMs(sweeperInterval) <= 0) sweeperInterval = { seconds: 30 };

  return {
    powerdns: {
      baseUrl,
      apiKey,
      serverId: config.getOptionalString('powerdns.serverId') ?? 'localhost',
      authorization: config.getOptionalString('powerdns.authorization'),
      timeoutMs: durationToMs(
        readDuration(config, 'powerdns.timeout', { seconds: 30 }),
      ),
    },
    nameservers,
    poolDomains,
    reservationTtlMs,
    maxReservationTtlMs,
    sweeperInterval,
    delegation: {
      resolvers: config.getOptionalStringArray('delegation.resolvers') ?? [],
      authoritativePort:
        config.getOptionalNumber('delegation.authoritativePort') ?? 53,
      timeoutMs: durationToMs(
        readDuration(config, 'delegation.timeout', { seconds: 5 }),
      ),
    },
    dns01: readDns01(config, nameservers),
  };
}
