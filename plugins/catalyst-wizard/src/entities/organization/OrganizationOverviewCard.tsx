import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';

/** Annotations the catalyst-organizations provider writes on an Organization's Group entity. */
export const ORGANIZATION_ANNOTATIONS = {
  sovereign: 'catalyst.openova.io/sovereign',
  owner: 'catalyst.openova.io/owner',
  credit: 'catalyst.openova.io/credit',
  firstApp: 'catalyst.openova.io/first-app',
} as const;

function refLink(ref: string | undefined, kind: string): ReactNode {
  if (!ref) return '—';
  return <EntityRefLink entityRef={ref} defaultKind={kind} />;
}

/**
 * An Organization (a tenant created by redeeming a voucher): the Sovereign it lives on, its credit, the App it
 * was created with and its Kubernetes namespace.
 */
export function OrganizationOverviewCard() {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const credit = annotations[ORGANIZATION_ANNOTATIONS.credit];
  const firstApp = annotations[ORGANIZATION_ANNOTATIONS.firstApp];
  return (
    <InfoCard title="Organization">
      <StructuredMetadataTable
        metadata={{
          Sovereign: refLink(
            annotations[ORGANIZATION_ANNOTATIONS.sovereign],
            'sovereign',
          ),
          Credit: (
            <span data-testid="organization-credit">
              {credit ?? 'not recorded'}
            </span>
          ),
          'First App': firstApp ? (
            <span data-testid="organization-first-app">
              <EntityRefLink
                entityRef={`blueprint:default/${firstApp}`}
                defaultKind="blueprint"
              />
            </span>
          ) : (
            'none: it started without an App'
          ),
          Namespace: <code>tenant-{entity.metadata.name}</code>,
          'Created by': refLink(
            annotations[ORGANIZATION_ANNOTATIONS.owner],
            'user',
          ),
        }}
      />
      <Typography variant="caption" color="textSecondary">
        The credit comes from the voucher it was created with; Flux installs its
        namespace and App from the Sovereign's GitOps overlay.
      </Typography>
    </InfoCard>
  );
}
