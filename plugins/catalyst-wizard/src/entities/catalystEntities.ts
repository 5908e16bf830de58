import { Entity } from '@backstage/catalog-model';

/**
 * What the entity pages read from the three Catalyst kinds. The catalog processor validates the full shape;
 * the pages still read every field defensively, because an entity page must render (with gaps) even for an
 * entity written by an older provider version.
 */

export const CATALYST_KINDS = {
  sovereign: 'Sovereign',
  blueprint: 'Blueprint',
  voucher: 'Voucher',
} as const;

/** Annotation naming a simple-icons slug for a Blueprint's brand mark. */
export const LOGO_SLUG_ANNOTATION = 'catalyst.openova.io/logo-slug';

export interface SovereignRegion {
  provider: string;
  cloudRegion: string;
  controlPlaneSize: string;
  workerSize?: string;
  workerCount: number;
  airgap?: boolean;
}

export interface SovereignDnsRecord {
  name: string;
  type: string;
  ttl?: number;
  content: string;
}

/** How the Sovereign gets its certificates: public facts only, never the DNS-01 key's secret. */
export interface SovereignTls {
  issuer?: string;
  acmeServer?: string;
  dnsNames?: string[];
  certificateSecret?: string;
  dns01?: {
    zone?: string;
    nameserver?: string;
    keyName?: string;
    algorithm?: string;
  };
}

export interface SovereignSpec {
  owner?: string;
  fqdn?: string;
  organization?: string;
  adminEmail?: string;
  phase?: string;
  domain?: {
    mode?: string;
    poolDomain?: string;
    subdomain?: string;
    byoDomain?: string;
    registrar?: string;
  };
  topology?: {
    template?: string;
    airgap?: boolean;
    haEnabled?: boolean;
    regions?: SovereignRegion[];
  };
  components?: string[];
  blueprints?: string[];
  notInstallable?: string[];
  gitops?: {
    repoUrl?: string;
    branch?: string;
    path?: string;
    commitSha?: string;
  };
  endpoints?: {
    controlPlaneIp?: string;
    loadBalancerIp?: string;
    consoleUrl?: string;
  };
  dnsRecords?: SovereignDnsRecord[];
  tls?: SovereignTls;
  phaseReason?: string;
}

/**
 * The logo the Blueprint provider resolved: a simple-icons brand mark as a data URL, or the letter and colour
 * of a letter mark. Older data may carry inline SVG markup or a logo file name instead.
 */
export type BlueprintLogoSpec =
  | {
      type: 'simple-icons';
      slug?: string;
      title?: string;
      hex?: string;
      dataUrl?: string;
    }
  | { type: 'letter'; letter?: string; hex?: string }
  | string;

export interface BlueprintSpec {
  family?: string;
  component?: string | null;
  chart?: string;
  version?: string | null;
  /** The OCI repository of the chart. */
  oci?: string;
  /** The OCI repository with the version tag. */
  ociReference?: string | null;
  namespace?: string;
  dependsOn?: string[];
  alwaysIncluded?: boolean;
  installable?: boolean;
  description?: string;
  logo?: BlueprintLogoSpec | null;
  tier?: string;
  kitSlot?: number | null;
  upstream?: string | null;
}

export interface VoucherSpec {
  sovereign?: string;
  owner?: string;
  codeMasked?: string;
  credit?: { amount?: number; currency?: string };
  description?: string;
  state?: string;
  maxRedemptions?: number;
  timesRedeemed?: number;
  expiresAt?: string | null;
  issuedBy?: string;
}

function specOf<T>(entity: Entity): T {
  return (entity.spec ?? {}) as T;
}

export function sovereignSpec(entity: Entity): SovereignSpec {
  return specOf<SovereignSpec>(entity);
}

export function blueprintSpec(entity: Entity): BlueprintSpec {
  return specOf<BlueprintSpec>(entity);
}

export function voucherSpec(entity: Entity): VoucherSpec {
  return specOf<VoucherSpec>(entity);
}
