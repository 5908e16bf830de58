import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { EventsService } from '@backstage/plugin-events-node';
import {
  CATALYST_ORGANIZATION_TOPIC,
  OrganizationRecord,
  organizationRecordSchema,
} from '@catalyst/plugin-catalyst-common';
import { providerLocationAnnotations } from '../entities/locations';
import {
  CatalystApiRecordSource,
  RecordSource,
} from './CatalystApiRecordSource';
import { CatalystRecordEntityProvider } from './CatalystRecordEntityProvider';

export const ORGANIZATION_PROVIDER_NAME = 'catalyst-organizations';
export const ORGANIZATION_OWNER_ANNOTATION = 'catalyst.openova.io/owner';
export const ORGANIZATION_SOVEREIGN_ANNOTATION =
  'catalyst.openova.io/sovereign';

/**
 * The catalog view of an Organization (docs/vouchers.md): a Group of type `organization`, named by its slug, in
 * the namespace of its Sovereign (like the Sovereign's Vouchers), with the tenant who created it as its member
 * and owner.
 */
export function organizationRecordToEntity(record: OrganizationRecord): Entity {
  const sovereign = parseEntityRef(record.sovereign, {
    defaultKind: 'sovereign',
    defaultNamespace: 'default',
  });
  const owner = parseEntityRef(record.owner, {
    defaultKind: 'user',
    defaultNamespace: 'default',
  });
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: record.slug,
      namespace: sovereign.name,
      title: record.name,
      description: `Organization on ${record.sovereign}`,
      annotations: {
        ...providerLocationAnnotations(
          ORGANIZATION_PROVIDER_NAME,
          `${sovereign.name}/${record.slug}`,
        ),
        [ORGANIZATION_OWNER_ANNOTATION]: record.owner,
        [ORGANIZATION_SOVEREIGN_ANNOTATION]: record.sovereign,
      },
    },
    spec: {
      type: 'organization',
      profile: { displayName: record.name },
      children: [],
      members: [`user:${owner.namespace}/${owner.name}`],
    },
  };
}

/** `catalyst-organizations`: the Organizations of catalyst-backend, as Group entities. */
export function createOrganizationEntityProvider(deps: {
  source: RecordSource<OrganizationRecord>;
  events: EventsService;
  taskRunner: SchedulerServiceTaskRunner;
  logger: LoggerService;
}) {
  return new CatalystRecordEntityProvider<OrganizationRecord>({
    providerName: ORGANIZATION_PROVIDER_NAME,
    topic: CATALYST_ORGANIZATION_TOPIC,
    recordSchema: organizationRecordSchema,
    toEntity: organizationRecordToEntity,
    ...deps,
  });
}

/** Reads `GET /api/catalyst/v1/organizations/records` with the catalog's service credentials. */
export function createOrganizationApiSource(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
}) {
  return new CatalystApiRecordSource<OrganizationRecord>({
    ...deps,
    path: '/v1/organizations/records',
    schema: organizationRecordSchema,
    notFoundMeansEmpty: true,
  });
}
