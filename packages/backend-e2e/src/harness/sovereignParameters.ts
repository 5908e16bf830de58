import { JsonObject } from '@backstage/types';
import {
  defaultSelection,
  sovereignEntityName,
} from '@catalyst/plugin-catalyst-common';
import { randomBytes } from 'node:crypto';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';

const data = loadCatalystData();

/** A Hetzner-shaped token (64 characters); the sandbox module never sends it anywhere. */
export const SANDBOX_HETZNER_TOKEN = randomBytes(32).toString('hex');

/** A random DNS label that is a valid pool subdomain (starts with a letter). */
export function randomLabel(prefix = 'e2e'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export type DomainInput =
  | { mode: 'pool'; poolDomain: string; subdomain: string }
  | { mode: 'byo-manual'; byoDomain: string }
  | { mode: 'byo-api'; byoDomain: string; registrar: string };

/** The provision-sovereign parameters exactly as the wizard submits them (secrets travel apart). */
export function provisionValues(domain: DomainInput): JsonObject {
  return {
    orgName: 'Catalyst E2E',
    orgIndustry: 'Telecommunications',
    orgSize: '2,000–10,000',
    orgHeadquarters: 'Muscat, Oman',
    orgCompliance: ['ISO 27001'],
    topology: { template: 'solo', airgap: false, haEnabled: false },
    regions: [
      {
        provider: 'hetzner',
        cloudRegion: 'fsn1',
        controlPlaneSize: 'cpx52',
        workerSize: 'cpx32',
        workerCount: 1,
      },
    ],
    providerCredentials: { hetzner: 'validated' },
    hetznerProjectId: 'proj_e2e',
    sshPublicKey:
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl catalyst@e2e',
    components: defaultSelection(data.components),
    domain,
    orgEmail: 'platform@example.com',
  };
}

/** The FQDN a domain input resolves to. */
export function fqdnOf(domain: DomainInput): string {
  return domain.mode === 'pool'
    ? `${domain.subdomain}.${domain.poolDomain}`
    : domain.byoDomain;
}

/** The catalog entity name of a Sovereign (an injective function of its FQDN). */
export function entityNameOf(fqdn: string): string {
  return sovereignEntityName(fqdn);
}
