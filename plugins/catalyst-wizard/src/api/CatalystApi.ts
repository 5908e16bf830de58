import type { SubdomainCheck } from '@catalyst/plugin-catalyst-common';
import { createApiRef } from '@backstage/core-plugin-api';
import type { CatalystCatalogData } from './catalogData';

/** Outcome of `POST /api/catalyst/v1/credentials/validate`. */
export type CredentialCheck =
  | { valid: true }
  | {
      valid: false;
      /** What went wrong, as the wizard names it (docs/wizard.md §4). */
      kind:
        | 'rejected'
        | 'too-short'
        | 'unreachable'
        | 'network'
        | 'parse'
        | 'http';
      status?: number;
      reason?: string;
      detail?: string;
    };

/** A freshly generated Ed25519 key pair; the private half lives only in the browser's memory. */
export type GeneratedSshKey = {
  publicKey: string;
  privateKey: string;
  fingerprint: string;
};

export type SshKeyCheck = {
  valid: boolean;
  reason?: string;
  fingerprint?: string;
};

export type PdmInfo = {
  managedDomains: string[];
  registrars: string[];
  /** Present when PDM reports them; the wizard shows them for manual delegation. */
  nameservers?: string[];
};

/** Outcome of PDM's `GET /v1/pool/{domain}/check`: the shared contract's type. */
export type SubdomainAvailability = SubdomainCheck;

/** Outcome of PDM's `POST /v1/registrar/{r}/validate`. */
export type RegistrarCheck =
  | { valid: true }
  | { valid: false; status?: number; error: string; detail?: string };

/** Everything the provisioning wizard asks of the Catalyst and PDM backends. */
export interface CatalystApi {
  getCatalogData(): Promise<CatalystCatalogData>;
  validateCredential(provider: string, token: string): Promise<CredentialCheck>;
  generateSshKey(fqdn?: string): Promise<GeneratedSshKey>;
  checkSshKey(publicKey: string): Promise<SshKeyCheck>;
  /** PDM's pool domains, configured registrars and nameservers, from its health endpoint. */
  getPdmInfo(): Promise<PdmInfo>;
  checkSubdomain(
    poolDomain: string,
    subdomain: string,
    signal?: AbortSignal,
  ): Promise<SubdomainAvailability>;
  validateRegistrarToken(
    registrar: string,
    domain: string,
    token: string,
  ): Promise<RegistrarCheck>;
}

export const catalystApiRef = createApiRef<CatalystApi>({
  id: 'plugin.catalyst.client',
});
