import crypto from 'node:crypto';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import type { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import {
  domainSelectionSchema,
  sovereignEntityName,
} from '@catalyst/plugin-catalyst-common';

/*
 * The inputs the three tofu actions share, and their mapping onto the module variables (docs/provisioning.md §2.1).
 * The zod schemas only describe the step input for the template editor; the scaffolder never runs zod, so
 * `parseSovereignTofuInput` checks the values again at run time.
 */

type Zod = typeof z;

/** The `z` the scaffolder hands to schema callbacks (its own zod copy, v3 API). */
type ActionSchemaZod = Parameters<
  Extract<
    NonNullable<
      NonNullable<Parameters<typeof createTemplateAction>[0]['schema']>['input']
    >,
    (...args: any[]) => any
  >
>[0];

const FQDN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const OVERLAY_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function sovereignRequestSchema(zod: Zod) {
  return zod
    .object({
      org: zod
        .object({
          name: zod.string().min(1).describe('Organisation name'),
          email: zod.string().min(3).describe('First sovereign-admin e-mail'),
        })
        .passthrough(),
      topology: zod
        .object({
          template: zod.string().optional(),
          airgap: zod.boolean().optional(),
          haEnabled: zod.boolean().describe('Three control planes per region'),
        })
        .passthrough(),
      regions: zod
        .array(
          zod
            .object({
              provider: zod.string().describe('Cloud provider, e.g. hetzner'),
              cloudRegion: zod.string().describe('Location, e.g. fsn1'),
              controlPlaneSize: zod
                .string()
                .describe('Server type, e.g. cpx32'),
              workerSize: zod
                .string()
                .optional()
                .describe('Server type of the workers'),
              workerCount: zod.number().int().min(0).max(50),
            })
            .passthrough(),
        )
        .min(1)
        .describe('One cluster per entry; the first is the primary'),
      domain: domainSelectionSchema.passthrough(),
      sshPublicKey: zod.string().min(1),
      hetznerProjectId: zod.string().min(1),
      fqdn: zod.string().optional(),
    })
    .passthrough();
}

/**
 * Input schema (key → zod callback) shared by catalyst:tofu:plan, :apply and :destroy. The request is described
 * loosely here (catalyst:sovereign:validate already checked it); the handler re-checks the fields it uses.
 */
export const sovereignTofuInputSchema: Record<
  keyof SovereignTofuInput,
  (zod: ActionSchemaZod) => InstanceType<ActionSchemaZod['ZodType']>
> = {
  request: (zod: ActionSchemaZod) =>
    zod
      .record(zod.unknown())
      .describe(
        'The normalised SovereignRequest from catalyst:sovereign:validate (org, topology, regions, domain, sshPublicKey, hetznerProjectId)',
      ),
  fqdn: (zod: ActionSchemaZod) =>
    zod
      .string()
      .describe(
        'FQDN of the Sovereign (output of catalyst:sovereign:validate)',
      ),
  gitopsRepoUrl: (zod: ActionSchemaZod) =>
    zod.string().describe('Git repository Flux on the Sovereign watches'),
  gitopsBranch: (zod: ActionSchemaZod) =>
    zod
      .string()
      .default('main')
      .optional()
      .describe('Branch Flux watches (default main)'),
  overlayPath: (zod: ActionSchemaZod) =>
    zod
      .string()
      .optional()
      .describe(
        'Folder of the Sovereign overlay in the repository (default clusters/<fqdn>)',
      ),
  deploymentId: (zod: ActionSchemaZod) =>
    zod
      .string()
      .optional()
      .describe(
        'Id of this provisioning run, set as a label on every resource (default: the task id)',
      ),
  catalystApiUrl: (zod: ActionSchemaZod) =>
    zod
      .string()
      .optional()
      .describe(
        'Origin the control plane PUTs its kubeconfig back to; empty disables the PUT-back',
      ),
};

export interface SovereignTofuInput {
  request: unknown;
  fqdn: string;
  gitopsRepoUrl: string;
  gitopsBranch?: string;
  overlayPath?: string;
  deploymentId?: string;
  catalystApiUrl?: string;
}

/** What a run needs: the FQDN, the non-secret variables for tofu.auto.tfvars.json and the secret environment. */
export interface SovereignTofuRunInput {
  fqdn: string;
  variables: JsonObject;
  /** TF_VAR_* values; they reach the binary through its environment only. */
  secretEnv: Record<string, string>;
}

const OPTIONAL_STRING_INPUTS = [
  'gitopsBranch',
  'overlayPath',
  'deploymentId',
  'catalystApiUrl',
] as const;

function checkInputTypes(raw: {
  [K in keyof SovereignTofuInput]?: unknown;
}): SovereignTofuInput {
  for (const key of ['fqdn', 'gitopsRepoUrl'] as const) {
    if (typeof raw[key] !== 'string' || !(raw[key] as string).trim()) {
      throw new InputError(
        `Invalid input ${key}: a non-empty string is required`,
      );
    }
  }
  for (const key of OPTIONAL_STRING_INPUTS) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') {
      throw new InputError(`Invalid input ${key}: expected a string`);
    }
  }
  return raw as SovereignTofuInput;
}

function describeIssue(issue: z.ZodIssue): string {
  const where = issue.path.length ? issue.path.join('.') : 'request';
  return `${where}: ${issue.message}`;
}

/**
 * Checks the action input and maps it onto the module variables. Throws InputError naming the field at fault.
 * Secrets come from `ctx.secrets` (hetznerToken; optional ghcrPullToken and kubeconfigBearerToken).
 */
export function parseSovereignTofuInput(
  rawInput: { [K in keyof SovereignTofuInput]?: unknown },
  secrets: Record<string, string> | undefined,
  taskId: string,
): SovereignTofuRunInput {
  const input = checkInputTypes(rawInput);
  const parsed = sovereignRequestSchema(z).safeParse(input.request);
  if (!parsed.success) {
    throw new InputError(
      `Invalid input request: ${parsed.error.issues
        .map(describeIssue)
        .join('; ')}`,
    );
  }
  const request = parsed.data;

  const fqdn =
    typeof input.fqdn === 'string' ? input.fqdn.trim().toLowerCase() : '';
  if (!FQDN.test(fqdn) || fqdn.length > 253) {
    throw new InputError(
      `Invalid input fqdn "${input.fqdn}": expected lower-case DNS labels such as omantel.omani.works`,
    );
  }
  if (request.fqdn !== undefined && request.fqdn !== fqdn) {
    throw new InputError(
      `Invalid input fqdn "${fqdn}": the request was validated for "${request.fqdn}"`,
    );
  }

  const nonHetzner = request.regions.filter(r => r.provider !== 'hetzner');
  if (nonHetzner.length > 0) {
    throw new InputError(
      `Invalid input request.regions: only hetzner regions can be provisioned, got ${nonHetzner
        .map(r => `${r.provider}/${r.cloudRegion}`)
        .join(', ')}`,
    );
  }

  if (typeof input.gitopsRepoUrl !== 'string' || !input.gitopsRepoUrl) {
    throw new InputError('Invalid input gitopsRepoUrl: it is required');
  }
  const overlayPath =
    input.overlayPath?.replace(/^\.\//, '').replace(/\/$/, '') ||
    `clusters/${fqdn}`;
  if (
    !OVERLAY_PATH.test(overlayPath) ||
    overlayPath.split('/').includes('..')
  ) {
    throw new InputError(
      `Invalid input overlayPath "${input.overlayPath}": expected a relative folder such as clusters/${fqdn}`,
    );
  }

  const hetznerToken = secrets?.hetznerToken?.trim();
  if (!hetznerToken) {
    throw new InputError(
      'Missing secret hetznerToken: the Hetzner API token is required',
    );
  }
  if (hetznerToken.startsWith('demo-mode-')) {
    throw new InputError(
      'Secret hetznerToken is a demo-mode token and cannot provision machines',
    );
  }

  const primary = request.regions[0];
  const pool = request.domain.mode === 'pool';
  const variables: JsonObject = {
    sovereign_fqdn: fqdn,
    sovereign_name: sovereignEntityName(fqdn),
    sovereign_subdomain: pool ? request.domain.subdomain ?? '' : '',
    org_name: request.org.name,
    org_email: request.org.email,
    hcloud_project_id: request.hetznerProjectId,
    region: primary.cloudRegion,
    control_plane_size: primary.controlPlaneSize,
    worker_size: primary.workerSize ?? '',
    worker_count: primary.workerCount,
    ha_enabled: request.topology.haEnabled,
    regions: request.regions.map(r => ({
      provider: r.provider,
      cloudRegion: r.cloudRegion,
      controlPlaneSize: r.controlPlaneSize,
      workerSize: r.workerSize ?? '',
      workerCount: r.workerCount,
    })),
    ssh_public_key: request.sshPublicKey.trim(),
    domain_mode: request.domain.mode,
    pool_domain: pool ? request.domain.poolDomain ?? '' : '',
    gitops_repo_url: input.gitopsRepoUrl,
    gitops_branch: input.gitopsBranch || 'main',
    gitops_path: overlayPath,
    deployment_id: (input.deploymentId || taskId).toLowerCase(),
    catalyst_api_url: input.catalystApiUrl ?? '',
  };

  const secretEnv: Record<string, string> = {
    TF_VAR_hcloud_token: hetznerToken,
  };
  if (secrets?.ghcrPullToken) {
    secretEnv.TF_VAR_ghcr_pull_token = secrets.ghcrPullToken;
  }
  if (secrets?.kubeconfigBearerToken) {
    secretEnv.TF_VAR_kubeconfig_bearer_token = secrets.kubeconfigBearerToken;
  }

  return { fqdn, variables, secretEnv };
}

/** Stable short hash of the non-secret inputs of a run, used in checkpoint keys. */
export function hashRunInputs(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map(k => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex')
    .slice(0, 16);
}
