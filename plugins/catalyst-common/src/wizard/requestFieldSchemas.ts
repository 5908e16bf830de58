import { z } from 'zod/v3';
import { CatalystData } from '../data/catalystData';
import { CLOUD_PROVIDERS } from '../data/nodeSizes';
import { EMAIL_PATTERN } from '../domain';
import { selectionInstallationProblems } from '../selection/componentSelection';
import {
  checkDomain,
  DomainParameters,
  normalizeSubdomain,
} from './requestDomain';
import { DOMAIN_MODES, REGISTRARS } from './requestVocabulary';
import { issueSinkOf, oneOf, requiredString } from './requestZod';
import { checkSshPublicKey } from './sshPublicKey';
import { TOPOLOGY_TEMPLATES } from './topologies';

/**
 * The schema of each request field that can be checked on its own (a region against the provider catalog, the
 * topology, the domain, the component ids, the SSH key, the e-mail). The wizard pages and the request schema
 * are assembled from these.
 */
export function createRequestFieldSchemas(data: CatalystData) {
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
      const issue = issueSinkOf(ctx);
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
      checkDomain(domain as DomainParameters, issueSinkOf(ctx)),
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
