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
/** Its credit, e.g. `100 EUR` (several currencies comma-separated); `0` once nothing is left. */
export const ORGANIZATION_CREDIT_ANNOTATION = 'catalyst.openova.io/credit';
/** The Blueprint installed as its first App (`bp-<name>`). */
export const ORGANIZATION_FIRST_APP_ANNOTATION =
  'catalyst.openova.io/first-app';

function creditText(credit: OrganizationRecord['credit']): string | undefined {
  if (!credit) return undefined;
  if (credit.length === 0) return '0';
  return credit.map(c => `${c.amount} ${c.currency}`).join(', ');
}

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
  const credit = creditText(record.credit);
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
      // Words for the catalog list; the Organization card links the Sovereign and the App.
      description: `A tenant Organization${
        credit ? ` with ${credit} credit` : ''
      }${
        record.firstApp
          ? `, first App ${record.firstApp.replace(/^bp-/, '')}`
          : ''
      }`,
      annotations: {
        ...providerLocationAnnotations(
          ORGANIZATION_PROVIDER_NAME,
          `${sovereign.name}/${record.slug}`,
        ),
        [ORGANIZATION_OWNER_ANNOTATION]: record.owner,
        [ORGANIZATION_SOVEREIGN_ANNOTATION]: record.sovereign,
        ...(credit ? { [ORGANIZATION_CREDIT_ANNOTATION]: credit } : {}),
        ...(record.firstApp
          ? { [ORGANIZATION_FIRST_APP_ANNOTATION]: record.firstApp }
          : {}),
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
