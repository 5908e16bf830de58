import { z } from 'zod/v3';
import { CatalystData } from '../data/catalystData';
import { closeSelection } from '../selection/componentSelection';
import { DomainParameters, resolveFqdn } from './requestDomain';
import { createRequestFieldSchemas } from './requestFieldSchemas';
import { checkRegionsFitTopology } from './requestRules';
import {
  type ComplianceFramework,
  type OrgIndustry,
  type OrgSize,
} from './requestVocabulary';
import { issueSinkOf, requiredString } from './requestZod';
import { RegionParameters, TopologyTemplate } from './topologies';
import { createWizardSchemas } from './wizardSchemas';

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

/** The schema of a {@link SovereignRequest}, for actions that receive one from an earlier step. */
export function createSovereignRequestSchema(data: CatalystData) {
  const s = createRequestFieldSchemas(data);
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
      const issue = issueSinkOf(ctx);
      checkRegionsFitTopology(request.topology, request.regions, issue, {
        airgapFlag: 'required',
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
