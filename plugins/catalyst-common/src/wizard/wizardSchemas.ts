import { z } from 'zod/v3';
import { CatalystData } from '../data/catalystData';
import { CLOUD_PROVIDERS } from '../data/nodeSizes';
import { createRequestFieldSchemas } from './requestFieldSchemas';
import { checkRegionsFitTopology } from './requestRules';
import {
  COMPLIANCE_FRAMEWORKS,
  ORG_INDUSTRIES,
  ORG_SIZES,
  providerTokenSecretName,
} from './requestVocabulary';
import { issueSinkOf, oneOf, requiredString } from './requestZod';

/** Secret names that must never arrive in `parameters`. */
const SECRET_PARAMETER = /token$|secret$|password$|privatekey$/i;

/**
 * zod schemas for each wizard page and for the whole parameters object (parameter contract of the
 * provisioning Template). Page schemas check what a page can check alone; `parameters` adds the cross-page
 * rules (region count for the topology, the AIR-GAP region last).
 */
export function createWizardSchemas(data: CatalystData) {
  const s = createRequestFieldSchemas(data);

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
      const issue = issueSinkOf(ctx);
      for (const key of Object.keys(params)) {
        if (SECRET_PARAMETER.test(key)) {
          issue(
            [key],
            'is a secret and must be sent in the task secrets, never in parameters',
          );
        }
      }
      checkRegionsFitTopology(params.topology, params.regions, issue, {
        airgapFlag: 'optional',
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
