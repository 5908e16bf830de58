import { Entity } from '@backstage/catalog-model';
import { CATALYST_API_VERSION, catalystKindSchema } from './apiVersion';
import {
  DOMAIN_MODES,
  REGISTRARS,
  type DomainMode,
} from '../wizard/requestVocabulary';
import { TOPOLOGY_TEMPLATES } from '../wizard/topologies';
import { CLOUD_PROVIDERS } from '../data/nodeSizes';

/** Phases of a Sovereign as the catalog shows them, in the order a healthy Sovereign passes through them. */
export const SOVEREIGN_PHASES = [
  'provisioning',
  'dns-pending',
  'bootstrapping',
  'ready',
  'degraded',
  'failed',
  'decommissioning',
  'decommissioned',
] as const;
export type SovereignPhase = (typeof SOVEREIGN_PHASES)[number];

export interface SovereignEntityV1alpha1 extends Entity {
  apiVersion: typeof CATALYST_API_VERSION;
  kind: 'Sovereign';
  spec: {
    /** Entity ref of the owning group. */
    owner: string;
    fqdn: string;
    organization: string;
    adminEmail?: string;
    phase: SovereignPhase;
    domain: {
      mode: DomainMode;
      poolDomain?: string;
      subdomain?: string;
      byoDomain?: string;
      registrar?: string;
    };
    topology: {
      template: string;
      airgap: boolean;
      haEnabled: boolean;
      regions: Array<{
        provider: string;
        cloudRegion: string;
        controlPlaneSize: string;
        workerSize: string;
        workerCount: number;
        airgap?: boolean;
      }>;
    };
    /** Selected component ids. */
    components: string[];
    /** Resolved releases, `bp-<name>@<version>`. */
    blueprints: string[];
    /** Selected components without a published chart. */
    notInstallable: string[];
    gitops?: {
      repoUrl: string;
      branch: string;
      path: string;
      commitSha?: string;
    };
    endpoints: {
      controlPlaneIp?: string;
      loadBalancerIp?: string;
      consoleUrl?: string;
      gitUrl?: string;
    };
  };
}

/** JSON schema of the Sovereign kind, for `entityKindSchemaValidator` (docs/provisioning.md §8). */
export const sovereignEntitySchema = catalystKindSchema({
  kind: 'Sovereign',
  description:
    'A Sovereign: one self-hosted Catalyst cloud with its own FQDN, DNS zone and GitOps overlay.',
  spec: {
    type: 'object',
    required: [
      'owner',
      'fqdn',
      'organization',
      'phase',
      'domain',
      'topology',
      'components',
      'blueprints',
      'notInstallable',
      'endpoints',
    ],
    properties: {
      owner: { type: 'string', minLength: 1 },
      fqdn: {
        type: 'string',
        pattern: '^[a-z]([a-z0-9-]*[a-z0-9])?(\\.[a-z]([a-z0-9-]*[a-z0-9])?)+$',
        maxLength: 253,
      },
      organization: { type: 'string', minLength: 1 },
      adminEmail: {
        type: 'string',
        pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
      },
      phase: { enum: [...SOVEREIGN_PHASES] },
      domain: {
        type: 'object',
        required: ['mode'],
        properties: {
          mode: { enum: [...DOMAIN_MODES] },
          poolDomain: { type: 'string', minLength: 1 },
          subdomain: { type: 'string', minLength: 1 },
          byoDomain: { type: 'string', minLength: 1 },
          registrar: { enum: [...REGISTRARS] },
        },
      },
      topology: {
        type: 'object',
        required: ['template', 'airgap', 'haEnabled', 'regions'],
        properties: {
          template: { enum: [...TOPOLOGY_TEMPLATES] },
          airgap: { type: 'boolean' },
          haEnabled: { type: 'boolean' },
          regions: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: [
                'provider',
                'cloudRegion',
                'controlPlaneSize',
                'workerSize',
                'workerCount',
              ],
              properties: {
                provider: { enum: [...CLOUD_PROVIDERS] },
                cloudRegion: { type: 'string', minLength: 1 },
                controlPlaneSize: { type: 'string', minLength: 1 },
                workerSize: { type: 'string' },
                workerCount: { type: 'integer', minimum: 0, maximum: 50 },
                airgap: { type: 'boolean' },
              },
            },
          },
        },
      },
      components: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      blueprints: {
        type: 'array',
        items: { type: 'string', pattern: '^bp-[a-z][a-z0-9-]*@\\S+$' },
      },
      notInstallable: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      gitops: {
        type: 'object',
        required: ['repoUrl', 'branch', 'path'],
        properties: {
          repoUrl: { type: 'string', minLength: 1 },
          branch: { type: 'string', minLength: 1 },
          path: { type: 'string', minLength: 1 },
          commitSha: { type: 'string', pattern: '^[0-9a-f]{7,64}$' },
        },
      },
      endpoints: {
        type: 'object',
        properties: {
          controlPlaneIp: { type: 'string', minLength: 1 },
          loadBalancerIp: { type: 'string', minLength: 1 },
          consoleUrl: { type: 'string', minLength: 1 },
          gitUrl: { type: 'string', minLength: 1 },
        },
      },
    },
  },
});
