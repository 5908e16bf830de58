/** One region card's values (docs/wizard.md §3); AIR-GAP is the last card when enabled. */
export type RegionValue = {
  provider: string;
  cloudRegion: string;
  controlPlaneSize: string;
  workerSize: string;
  workerCount: number;
  airgap: boolean;
};

export type TopologyValue = {
  template: string;
  airgap: boolean;
  haEnabled: boolean;
};

export type DomainValue = {
  mode: 'pool' | 'byo-manual' | 'byo-api';
  poolDomain: string;
  subdomain: string;
  byoDomain: string;
  registrar: string;
};

/** The non-secret marker a token field keeps in the form; the token itself lives in the task's secrets. */
export type TokenMarker = { validated: boolean; length: number };

/** Everything the seven pages collect, as the scaffolder hands it to fields through `formContext.formData`. */
export type WizardFormData = {
  orgName?: string;
  orgHeadquarters?: string;
  orgIndustry?: string;
  orgSize?: string;
  orgCompliance?: string[];
  topology?: TopologyValue;
  regions?: RegionValue[];
  providerCredentials?: Record<string, TokenMarker>;
  hetznerProjectId?: string;
  sshPublicKey?: string;
  components?: string[];
  domain?: DomainValue;
  orgEmail?: string;
};

/** The whole form, which the scaffolder's Stepper passes to every field as `formContext.formData`. */
export function wizardFormData(formContext: unknown): WizardFormData {
  const data = (formContext as { formData?: unknown } | undefined)?.formData;
  return (data ?? {}) as WizardFormData;
}

/** The secrets key of a provider's API token, e.g. `hetznerToken`. */
export function providerTokenSecret(provider: string): string {
  return `${provider}Token`;
}

export const REGISTRAR_TOKEN_SECRET = 'registrarToken';

/** The distinct providers the region cards use, in first-use order; Hetzner when no card is filled yet. */
export function providersInUse(regions: RegionValue[] | undefined): string[] {
  const out: string[] = [];
  for (const region of regions ?? []) {
    if (region?.provider && !out.includes(region.provider)) {
      out.push(region.provider);
    }
  }
  return out.length ? out : ['hetzner'];
}
