import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { RELATION_PART_OF } from '@backstage/catalog-model';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  EntityRefLinks,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { blueprintSpec } from '../catalystEntities';
import { BlueprintLogo } from './BlueprintLogo';

function Code(props: { children: string }) {
  return (
    <Typography
      component="code"
      variant="body2"
      style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
    >
      {props.children}
    </Typography>
  );
}

/** What a Blueprint is and where its chart lives: family, chart, OCI reference, upstream and flags. */
export function BlueprintOverviewCard() {
  const { entity } = useEntity();
  const spec = blueprintSpec(entity);
  const families = getEntityRelations(entity, RELATION_PART_OF, {
    kind: 'system',
  });

  const description = entity.metadata.description ?? spec.description;
  const ociReference =
    spec.ociReference ??
    (spec.oci && spec.version ? `${spec.oci}:${spec.version}` : spec.oci);

  const metadata: Record<string, unknown> = {
    Family:
      families.length > 0 ? (
        <EntityRefLinks entityRefs={families} defaultKind="system" />
      ) : (
        spec.family ?? '—'
      ),
    Tier: spec.tier ?? '—',
    Chart: spec.chart ? <Code>{spec.chart}</Code> : '—',
    Version: spec.version ?? 'no chart published',
    'OCI reference': ociReference ? <Code>{ociReference}</Code> : '—',
    Upstream: spec.upstream ? <Code>{spec.upstream}</Code> : '—',
    Namespace: spec.namespace ?? '—',
  };
  if (spec.kitSlot !== undefined && spec.kitSlot !== null) {
    metadata['Bootstrap kit slot'] = String(spec.kitSlot);
  }

  return (
    <InfoCard title="Blueprint">
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 16 }}>
        <BlueprintLogo entity={entity} name={entity.metadata.name} size={48} />
        <Box>
          <Typography variant="h6">
            {entity.metadata.title ?? entity.metadata.name}
          </Typography>
          {description && (
            <Typography variant="body2" color="textSecondary">
              {description}
            </Typography>
          )}
        </Box>
      </Box>
      <Box mb={2} display="flex" style={{ gap: 8 }} flexWrap="wrap">
        {spec.alwaysIncluded && (
          <Chip size="small" color="primary" label="Always included" />
        )}
        {spec.installable === false && (
          <Chip size="small" label="Not installable" />
        )}
      </Box>
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}
