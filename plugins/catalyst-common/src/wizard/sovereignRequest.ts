import { z } from 'zod/v3';
import { CatalystData } from '../data/catalystData';
import { formatIssuePath } from '../data/dataFile';
import {
  CloudProvider,
  CLOUD_PROVIDERS,
  isCloudProvider,
} from '../data/nodeSizes';
import {
  checkDomainName,
  checkSubdomainLabel,
  EMAIL_PATTERN,
  isReservedSubdomain,
} from '../domain';
import {
  closeSelection,
  selectionInstallationProblems,
} from '../selection/componentSelection';
import {
  COMPLIANCE_FRAMEWORKS,
  type ComplianceFramework,
  DEMO_TOKEN_PREFIX,
  DOMAIN_MODES,
  type DomainMode,
  HETZNER_TOKEN_MIN_LENGTH,
  normalizeDomainMode,
  ORG_INDUSTRIES,
  ORG_SIZES,
  type OrgIndustry,
  type OrgSize,
  providerTokenSecretName,
  type Registrar,
  REGISTRAR_TOKEN_FORMATS,
  REGISTRARS,
} from './requestVocabulary';
import { checkSshPublicKey } from './sshPublicKey';
import {
  regionCountFor,
  RegionParameters,
  TOPOLOGY_TEMPLATES,
  TopologyTemplate,
} from './topologies';

export * from './requestVocabulary';

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values as unknown as [T[number], ...T[number][]], {
    errorMap: (issue, ctx) =>
      issue.code === 'invalid_type' && ctx.data === undefined
        ? { message: 'is required' }
        : { message: `must be one of: ${values.join(', ')}` },
  });

const requiredString = (blank = 'must not be blank') =>
  z
    .string({
      required_error: 'is required',
      invalid_type_error: 'must be text',
    })
    .trim()
    .min(1, blank);

/** Normalises a pool subdomain as the wizard does: lower-cased, every whitespace character removed. */
export function normalizeSubdomain(value: string): string {
  return value.replace(/\s+/g, '').toLowerCase();
}

export interface DomainParameters {
  mode: DomainMode;
  poolDomain?: string;
  subdomain?: string;
  byoDomain?: string;
  registrar?: Registrar;
}

/** The Sovereign's FQDN: `<subdomain>.<pool>` or the BYO domain; undefined while incomplete. */
export function resolveFqdn(domain: DomainParameters): string | undefined {
  if (domain.mode === 'pool') {
    const sub = normalizeSubdomain(domain.subdomain ?? '');
    const pool = (domain.poolDomain ?? '').trim().toLowerCase();
    return sub && pool ? `${sub}.${pool}` : undefined;
  }
  const byo = (domain.byoDomain ?? '').trim().toLowerCase();
  return byo || undefined;
}

type IssueSink = (path: Array<string | number>, message: string) => void;

function checkDomain(domain: DomainParameters, issue: IssueSink): void {
  if (domain.mode === 'pool') {
    const pool = domain.poolDomain ?? '';
    if (!pool) {
      issue(['poolDomain'], 'is required: choose a pool domain');
    } else {
      const problem = checkDomainName(pool);
      if (problem) issue(['poolDomain'], problem);
    }
    const sub = domain.subdomain ?? '';
    const label = checkSubdomainLabel(sub);
    if (label) issue(['subdomain'], label.message);
    else if (isReservedSubdomain(sub)) {
      issue(['subdomain'], `"${sub}" is reserved; choose another name`);
    }
    if (!label && pool) {
      const fqdn = `${sub}.${pool}`;
      if (fqdn.length > 253) {
        issue(['subdomain'], `${fqdn} is longer than 253 characters`);
      }
    }
    return;
  }
  const byo = domain.byoDomain ?? '';
  if (!byo) issue(['byoDomain'], 'is required: enter your domain');
  else {
    const problem = checkDomainName(byo);
    if (problem) issue(['byoDomain'], problem);
  }
  if (domain.mode === 'byo-api' && !domain.registrar) {
    issue(['registrar'], `is required: one of ${REGISTRARS.join(', ')}`);
  }
}

function buildSchemas(data: CatalystData) {
  const { nodeSizes, components: catalog } = data;
  const { workers } = nodeSizes;

  const regionSchema = z
    .object({
      provider: oneOf(CLOUD_PROVIDERS),
      cloudRegion: requiredString('is required: choose a cloud region'),
      controlPlaneSize: requiredString(
        'is required: choose a control-plane size',
      ),
      workerSize: z
        .string({ invalid_type_error: 'must be text' })
        .trim()
        .default(''),
      workerCount: z
        .number({
          required_error: 'is required',
          invalid_type_error: 'must be a number',
        })
        .int('must be a whole number')
        .min(
          workers.countMin,
          `must be between ${workers.countMin} and ${workers.countMax}`,
        )
        .max(
          workers.countMax,
          `must be between ${workers.countMin} and ${workers.countMax}`,
        )
        .default(workers.countDefault),
      airgap: z
        .boolean({ invalid_type_error: 'must be true or false' })
        .optional(),
    })
    .superRefine((region, ctx) => {
      const issue: IssueSink = (path, message) =>
        ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
      const provider = nodeSizes.providers[region.provider];
      const regionIds = provider.regions.map(r => r.id);
      if (!regionIds.includes(region.cloudRegion)) {
        issue(
          ['cloudRegion'],
          `"${region.cloudRegion}" is not a ${
            provider.name
          } region; choose one of ${regionIds.join(', ')}`,
        );
      }
      const skuIds = provider.skus.map(s => s.id);
      if (!skuIds.includes(region.controlPlaneSize)) {
        issue(
          ['controlPlaneSize'],
          `"${region.controlPlaneSize}" is not a ${provider.name} size`,
        );
      }
      if (region.workerCount > workers.sizeRequiredWhenCountAbove) {
        if (!region.workerSize) {
          issue(
            ['workerSize'],
            `is required when workerCount is above ${workers.sizeRequiredWhenCountAbove}`,
          );
        } else if (!skuIds.includes(region.workerSize)) {
          issue(
            ['workerSize'],
            `"${region.workerSize}" is not a ${provider.name} size`,
          );
        }
      }
    });

  const topologySchema = z.object(
    {
      template: oneOf(TOPOLOGY_TEMPLATES),
      airgap: z
        .boolean({ invalid_type_error: 'must be true or false' })
        .default(false),
      haEnabled: z
        .boolean({ invalid_type_error: 'must be true or false' })
        .default(false),
    },
    { required_error: 'is required: choose a topology' },
  );

  const domainSchema = z
    .object(
      {
        mode: z.preprocess(
          v => (v === undefined ? 'pool' : v),
          oneOf(DOMAIN_MODES),
        ),
        poolDomain: z
          .string({ invalid_type_error: 'must be text' })
          .transform(v => v.trim().toLowerCase())
          .optional(),
        subdomain: z
          .string({ invalid_type_error: 'must be text' })
          .transform(normalizeSubdomain)
          .optional(),
        byoDomain: z
          .string({ invalid_type_error: 'must be text' })
          .transform(v => v.trim().toLowerCase())
          .optional(),
        registrar: z.preprocess(
          v => (v === '' || v === null ? undefined : v),
          oneOf(REGISTRARS).optional(),
        ),
      },
      { required_error: 'is required' },
    )
    .superRefine((domain, ctx) =>
      checkDomain(domain as DomainParameters, (path, message) =>
        ctx.addIssue({ code: z.ZodIssueCode.custom, path, message }),
      ),
    );

  const componentIds = z
    .array(z.string({ invalid_type_error: 'must be a component id' }), {
      required_error: 'is required',
      invalid_type_error: 'must be a list of component ids',
    })
    .superRefine((ids, ctx) => {
      ids.forEach((id, index) => {
        if (!catalog.components.some(c => c.id === id)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [index],
            message: `unknown component "${id}"`,
          });
        }
      });
      // A component without a published Blueprint (or needing one) would be skipped: refuse it, naming why.
      for (const problem of selectionInstallationProblems(catalog, ids)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      }
    });

  const sshPublicKey = z
    .string({
      required_error: 'is required',
      invalid_type_error: 'must be text',
    })
    .trim()
    .superRefine((key, ctx) => {
      const result = checkSshPublicKey(key);
      if (!result.ok) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.message });
      }
    });

  const orgEmail = requiredString().refine(v => EMAIL_PATTERN.test(v), {
    message: 'must be an email address such as admin@example.com',
  });

  return {
    regionSchema,
    topologySchema,
    domainSchema,
    componentIds,
    sshPublicKey,
    orgEmail,
  };
}

/** Secret names that must never arrive in `parameters`. */
const SECRET_PARAMETER = /token$|secret$|password$|privatekey$/i;

/**
 * zod schemas for each wizard page and for the whole parameters object (parameter contract of the
 * provisioning Template). Page schemas check what a page can check alone; `parameters` adds the cross-page
 * rules (region count for the topology, the AIR-GAP region last).
 */
export function createWizardSchemas(data: CatalystData) {
  const s = buildSchemas(data);

  const org = z.object({
    orgName: requiredString().pipe(
      z.string().max(200, 'must be at most 200 characters'),
    ),
    orgHeadquarters: z
      .string({ invalid_type_error: 'must be text' })
      .trim()
      .max(200, 'must be at most 200 characters')
      .default(''),
    orgIndustry: oneOf(ORG_INDUSTRIES),
    orgSize: oneOf(ORG_SIZES),
    orgCompliance: z
      .array(oneOf(COMPLIANCE_FRAMEWORKS), {
        invalid_type_error: 'must be a list',
      })
      .default([])
      .transform(list => [...new Set(list)]),
  });
  const topology = z.object({ topology: s.topologySchema });
  const provider = z.object({
    regions: z
      .array(s.regionSchema, {
        required_error: 'is required',
        invalid_type_error: 'must be a list of regions',
      })
      .min(1, 'must have at least one region'),
  });
  const credentials = z.object({
    hetznerProjectId: requiredString(
      'is required: copy the project ID from the Hetzner Console',
    ),
    sshPublicKey: s.sshPublicKey,
  });
  const components = z.object({ components: s.componentIds });
  const domain = z.object({ domain: s.domainSchema, orgEmail: s.orgEmail });

  const parameters = org
    .merge(topology)
    .merge(provider)
    .merge(credentials)
    .merge(components)
    .merge(domain)
    .passthrough()
    .superRefine((params, ctx) => {
      for (const key of Object.keys(params)) {
        if (SECRET_PARAMETER.test(key)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [key],
            message:
              'is a secret and must be sent in the task secrets, never in parameters',
          });
        }
      }
      const expected = regionCountFor(
        params.topology.template,
        params.topology.airgap,
      );
      if (params.regions.length !== expected) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['regions'],
          message: `must have ${expected} region${
            expected > 1 ? 's' : ''
          } for the ${params.topology.template} topology${
            params.topology.airgap ? ' with AIR-GAP' : ''
          }, not ${params.regions.length}`,
        });
      }
      params.regions.forEach((region, index) => {
        const isAirgap =
          params.topology.airgap && index === params.regions.length - 1;
        if (region.airgap !== undefined && region.airgap !== isAirgap) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['regions', index, 'airgap'],
            message: isAirgap
              ? 'must be true: the last region is the AIR-GAP region'
              : 'must be false: only the last region of an AIR-GAP topology is isolated',
          });
        }
      });
    });

  const secrets = z
    .object(
      Object.fromEntries([
        ...CLOUD_PROVIDERS.map(p => [
          providerTokenSecretName(p),
          z.string({ invalid_type_error: 'must be text' }).optional(),
        ]),
        [
          'registrarToken',
          z.string({ invalid_type_error: 'must be text' }).optional(),
        ],
      ]) as Record<string, z.ZodOptional<z.ZodString>>,
    )
    .passthrough();

  return {
    org,
    topology,
    provider,
    credentials,
    components,
    domain,
    parameters,
    secrets,
    region: s.regionSchema,
  };
}

export type WizardSchemas = ReturnType<typeof createWizardSchemas>;
export type WizardParameters = z.infer<WizardSchemas['parameters']>;

/** The validated, normalised request every provisioning action works from (docs/wizard.md §8). No secrets. */
export interface SovereignRequest {
  org: {
    name: string;
    email: string;
    industry: OrgIndustry;
    size: OrgSize;
    headquarters: string;
    compliance: ComplianceFramework[];
  };
  topology: { template: TopologyTemplate; airgap: boolean; haEnabled: boolean };
  regions: RegionParameters[];
  /** Closed selection: sorted, every alwaysIncluded id, closed under dependsOn and the cascade rule. */
  components: string[];
  domain: DomainParameters;
  fqdn: string;
  sshPublicKey: string;
  hetznerProjectId: string;
}

/** Tokens of a request, trimmed and checked; kept apart from the request so they never reach an output. */
export interface SovereignRequestSecrets {
  providerTokens: Partial<Record<CloudProvider, string>>;
  registrarToken?: string;
}

/** The schema of a {@link SovereignRequest}, for actions that receive one from an earlier step. */
export function createSovereignRequestSchema(data: CatalystData) {
  const s = buildSchemas(data);
  const schemas = createWizardSchemas(data);
  return z
    .object({
      org: z.object({
        name: schemas.org.shape.orgName,
        email: s.orgEmail,
        industry: schemas.org.shape.orgIndustry,
        size: schemas.org.shape.orgSize,
        headquarters: schemas.org.shape.orgHeadquarters,
        compliance: schemas.org.shape.orgCompliance,
      }),
      topology: s.topologySchema,
      regions: schemas.provider.shape.regions,
      components: s.componentIds,
      domain: s.domainSchema,
      fqdn: requiredString(),
      sshPublicKey: s.sshPublicKey,
      hetznerProjectId: schemas.credentials.shape.hetznerProjectId,
    })
    .superRefine((request, ctx) => {
      const issue: IssueSink = (path, message) =>
        ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
      const expected = regionCountFor(
        request.topology.template,
        request.topology.airgap,
      );
      if (request.regions.length !== expected) {
        issue(
          ['regions'],
          `must have ${expected} regions for the ${request.topology.template} topology, not ${request.regions.length}`,
        );
      }
      request.regions.forEach((region, index) => {
        const isAirgap = request.topology.airgap && index === expected - 1;
        if ((region.airgap ?? false) !== isAirgap) {
          issue(
            ['regions', index, 'airgap'],
            isAirgap
              ? 'must be true: the last region is the AIR-GAP region'
              : 'must be false: only the last region of an AIR-GAP topology is isolated',
          );
        }
      });
      const known = request.components.every(id =>
        data.components.components.some(c => c.id === id),
      );
      if (known) {
        const closed = closeSelection(data.components, request.components);
        const missing = closed.filter(id => !request.components.includes(id));
        if (missing.length > 0) {
          issue(['components'], `is not closed: missing ${missing.join(', ')}`);
        }
      }
      const fqdn = resolveFqdn(request.domain as DomainParameters);
      if (fqdn !== undefined && fqdn !== request.fqdn) {
        issue(
          ['fqdn'],
          `must be ${fqdn} (from the domain), not ${request.fqdn}`,
        );
      }
    });
}

function checkSecrets(
  data: CatalystData,
  providers: CloudProvider[],
  domain: { mode?: unknown; registrar?: unknown },
  secrets: Record<string, unknown>,
  issue: IssueSink,
): SovereignRequestSecrets {
  const out: SovereignRequestSecrets = { providerTokens: {} };
  for (const provider of providers) {
    const name = providerTokenSecretName(provider);
    const providerName = data.nodeSizes.providers[provider].name;
    const raw = secrets[name];
    if (raw !== undefined && typeof raw !== 'string') {
      issue([name], 'must be text');
      continue;
    }
    const token = (raw ?? '').trim();
    if (!token) {
      issue([name], `is required: the ${providerName} API credential`);
      continue;
    }
    if (token.startsWith(DEMO_TOKEN_PREFIX)) {
      issue(
        [name],
        'is a demo-mode token; a demo token can never provision a Sovereign',
      );
      continue;
    }
    if (provider === 'hetzner' && token.length < HETZNER_TOKEN_MIN_LENGTH) {
      issue(
        [name],
        `is ${token.length} characters; a Hetzner Read & Write API token has at least ${HETZNER_TOKEN_MIN_LENGTH}`,
      );
      continue;
    }
    out.providerTokens[provider] = token;
  }
  if (domain.mode === 'byo-api') {
    const raw = secrets.registrarToken;
    const token = typeof raw === 'string' ? raw.trim() : '';
    const registrar = (REGISTRARS as readonly unknown[]).includes(
      domain.registrar,
    )
      ? (domain.registrar as Registrar)
      : undefined;
    if (raw !== undefined && typeof raw !== 'string') {
      issue(['registrarToken'], 'must be text');
    } else if (!token) {
      issue(['registrarToken'], 'is required for byo-api');
    } else if (token.startsWith(DEMO_TOKEN_PREFIX)) {
      issue(
        ['registrarToken'],
        'is a demo-mode token; a demo token can never change nameservers',
      );
    } else if (registrar) {
      const format = REGISTRAR_TOKEN_FORMATS[registrar];
      const parts = token.split(':');
      if (
        /\s/.test(token) ||
        !format.parts.includes(parts.length) ||
        parts.some(p => p.length === 0)
      ) {
        issue(
          ['registrarToken'],
          `is not in the ${format.label} token format; expected ${format.hint}`,
        );
      } else {
        out.registrarToken = token;
      }
    }
  }
  return out;
}

function providersOf(regions: unknown): CloudProvider[] {
  const list = Array.isArray(regions)
    ? regions
        .map(r =>
          r && typeof r === 'object' ? (r as any).provider : undefined,
        )
        .filter(isCloudProvider)
    : [];
  const distinct = [...new Set(list)];
  return distinct.length > 0 ? distinct : ['hetzner'];
}

/**
 * Checks the task secrets against the parameters: one token per distinct provider (Hetzner: 64+ characters),
 * the registrar token in byo-api mode (in the registrar's format), and no demo-mode token. Messages never
 * contain a token. Throws a ZodError with paths under `secrets`.
 */
export function assembleSovereignSecrets(
  data: CatalystData,
  parameters: unknown,
  secrets: unknown,
): SovereignRequestSecrets {
  const issues: z.ZodIssue[] = [];
  const result = checkSecretsOf(data, parameters, secrets, issues);
  if (issues.length > 0) throw new z.ZodError(issues);
  return result;
}

function checkSecretsOf(
  data: CatalystData,
  parameters: unknown,
  secrets: unknown,
  issues: z.ZodIssue[],
): SovereignRequestSecrets {
  const params = (
    parameters && typeof parameters === 'object' ? parameters : {}
  ) as Record<string, any>;
  const bag = (secrets && typeof secrets === 'object' ? secrets : {}) as Record<
    string,
    unknown
  >;
  const domain =
    params.domain && typeof params.domain === 'object' ? params.domain : {};
  return checkSecrets(
    data,
    providersOf(params.regions),
    { mode: normalizeDomainMode(domain.mode), registrar: domain.registrar },
    bag,
    (path, message) =>
      issues.push({
        code: z.ZodIssueCode.custom,
        path: ['secrets', ...path],
        message,
      }),
  );
}

/**
 * Validates the wizard's parameters and secrets together and returns the normalised {@link SovereignRequest}.
 * Every problem is reported at once: the thrown ZodError lists each issue with its field path
 * (use {@link formatRequestIssues} for a readable list). The secrets are checked but not returned: use
 * {@link assembleSovereignSecrets} to obtain them.
 */
export function assembleSovereignRequest(
  data: CatalystData,
  parameters: unknown,
  secrets: unknown,
): SovereignRequest {
  const schemas = createWizardSchemas(data);
  const parsed = schemas.parameters.safeParse(parameters);
  const issues: z.ZodIssue[] = parsed.success ? [] : [...parsed.error.issues];
  checkSecretsOf(data, parameters, secrets, issues);
  if (!parsed.success || issues.length > 0) throw new z.ZodError(issues);

  const p = parsed.data;
  const domain: DomainParameters = { mode: p.domain.mode };
  if (p.domain.mode === 'pool') {
    domain.poolDomain = p.domain.poolDomain;
    domain.subdomain = p.domain.subdomain;
  } else {
    domain.byoDomain = p.domain.byoDomain;
    if (p.domain.mode === 'byo-api') domain.registrar = p.domain.registrar;
  }
  const request: SovereignRequest = {
    org: {
      name: p.orgName,
      email: p.orgEmail,
      industry: p.orgIndustry,
      size: p.orgSize,
      headquarters: p.orgHeadquarters,
      compliance: p.orgCompliance,
    },
    topology: {
      template: p.topology.template,
      airgap: p.topology.airgap,
      haEnabled: p.topology.haEnabled,
    },
    regions: p.regions.map((region, index) => ({
      provider: region.provider,
      cloudRegion: region.cloudRegion,
      controlPlaneSize: region.controlPlaneSize,
      workerSize: region.workerCount > 0 ? region.workerSize : '',
      workerCount: region.workerCount,
      airgap: p.topology.airgap && index === p.regions.length - 1,
    })),
    components: closeSelection(data.components, p.components),
    domain,
    fqdn: resolveFqdn(domain)!,
    sshPublicKey: p.sshPublicKey,
    hetznerProjectId: p.hetznerProjectId,
  };
  return request;
}

/** One line per issue: `regions[0].cloudRegion: "xyz" is not a Hetzner Cloud region; …`. */
export function formatRequestIssues(error: z.ZodError): string[] {
  return error.issues.map(issue => {
    const field = formatIssuePath(issue.path);
    return field ? `${field}: ${issue.message}` : issue.message;
  });
}
