import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  EntityRefLink,
  catalogApiRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { sovereignSpec } from '../catalystEntities';
import { SovereignPhaseChip } from '../sovereign/SovereignPhaseChip';
import { useAsyncValue } from '../useAsyncValue';

interface SovereignRow {
  entity: Entity;
  fqdn?: string;
  phase?: string;
  version?: string;
}

/**
 * Finds `blueprintName` in a Sovereign's resolved `bp-<name>@<version>` list; undefined when the Sovereign
 * does not list it.
 */
export function findRelease(
  sovereign: Entity,
  blueprintName: string,
): { version?: string } | undefined {
  for (const release of sovereignSpec(sovereign).blueprints ?? []) {
    if (typeof release !== 'string') continue;
    const at = release.lastIndexOf('@');
    const name = at > 0 ? release.slice(0, at) : release;
    if (name === blueprintName) {
      return { version: at > 0 ? release.slice(at + 1) : undefined };
    }
  }
  return undefined;
}

const columns: TableColumn<SovereignRow>[] = [
  {
    title: 'Sovereign',
    field: 'entity.metadata.name',
    render: row => <EntityRefLink entityRef={row.entity} />,
  },
  { title: 'FQDN', field: 'fqdn' },
  {
    title: 'Phase',
    field: 'phase',
    render: row => <SovereignPhaseChip phase={row.phase} />,
  },
  { title: 'Version', field: 'version', emptyValue: '—' },
];

/** Every Sovereign that runs this Blueprint: those whose `dependsOn` relations or resolved list name it. */
export function BlueprintSovereignsCard() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const ref = stringifyEntityRef(entity);
  const name = entity.metadata.name;

  const sovereigns = useAsyncValue(async () => {
    const [byRelation, all] = await Promise.all([
      catalogApi.getEntities({
        filter: { kind: 'sovereign', 'relations.dependsOn': ref },
      }),
      // A Sovereign whose relations are not processed yet still lists the Blueprint in its spec.
      catalogApi.getEntities({
        filter: { kind: 'sovereign' },
        fields: [
          'kind',
          'metadata',
          'spec.blueprints',
          'spec.fqdn',
          'spec.phase',
        ],
      }),
    ]);
    const found = new Map<string, Entity>();
    for (const s of byRelation.items) found.set(stringifyEntityRef(s), s);
    for (const s of all.items) {
      const key = stringifyEntityRef(s);
      if (!found.has(key) && findRelease(s, name)) found.set(key, s);
    }
    return [...found.values()]
      .map(s => ({
        entity: s,
        fqdn: sovereignSpec(s).fqdn,
        phase: sovereignSpec(s).phase,
        version: findRelease(s, name)?.version,
      }))
      .sort((a, b) =>
        a.entity.metadata.name.localeCompare(b.entity.metadata.name),
      );
  }, [catalogApi, ref, name]);

  if (sovereigns.loading) {
    return (
      <InfoCard title="Sovereigns running this Blueprint">
        <Progress />
      </InfoCard>
    );
  }
  if (sovereigns.error) return <ResponseErrorPanel error={sovereigns.error} />;
  if (sovereigns.value.length === 0) {
    return (
      <InfoCard title="Sovereigns running this Blueprint">
        <Typography variant="body2" color="textSecondary">
          No Sovereign runs this Blueprint yet.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <Table<SovereignRow>
      title="Sovereigns running this Blueprint"
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={sovereigns.value}
    />
  );
}
