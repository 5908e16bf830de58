import { z } from 'zod/v3';
import { CatalystData } from '../data/catalystData';
import { closeSelection } from '../selection/componentSelection';
import { DomainParameters, resolveFqdn } from './requestDomain';
import { checkSecretsOf } from './requestSecrets';
import { SovereignRequest } from './sovereignRequestSchema';
import { createWizardSchemas } from './wizardSchemas';

/*
 * The Sovereign request: the wizard's parameters and secrets, checked and normalised. This module turns them
 * into a {@link SovereignRequest}; the parts live in their own modules and are re-exported here, so callers
 * import everything about the request from one place:
 * - requestVocabulary: the fixed value lists and token formats;
 * - requestZod: the shared zod building blocks and messages;
 * - requestDomain: the domain rules and the derived FQDN;
 * - requestFieldSchemas / wizardSchemas: the per-field and per-page schemas;
 * - requestRules: the rules that span fields (regions against the topology);
 * - sovereignRequestSchema: the normalised request and its schema;
 * - requestSecrets: the secrets check;
 * - requestIssues: readable issue lines.
 */
export * from './requestVocabulary';
export {
  type DomainParameters,
  normalizeSubdomain,
  resolveFqdn,
} from './requestDomain';
export {
  createWizardSchemas,
  type WizardParameters,
  type WizardSchemas,
} from './wizardSchemas';
export {
  createSovereignRequestSchema,
  type SovereignRequest,
} from './sovereignRequestSchema';
export {
  assembleSovereignSecrets,
  type SovereignRequestSecrets,
} from './requestSecrets';
export { formatRequestIssues } from './requestIssues';

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
