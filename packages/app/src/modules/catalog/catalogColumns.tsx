import { Entity } from '@backstage/catalog-model';
import { TableColumn } from '@backstage/core-components';
import {
  CatalogTable,
  CatalogTableColumnsFunc,
  CatalogTableRow,
} from '@backstage/plugin-catalog';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import {
  BlueprintLogo,
  SovereignPhaseChip,
} from '@catalyst/plugin-catalyst-wizard';

type Spec = Record<string, any>;
const specOf = (entity: Entity): Spec => (entity.spec ?? {}) as Spec;

/** Description that wraps instead of being clipped. */
const descriptionColumn: TableColumn<CatalogTableRow> = {
  title: 'Description',
  field: 'entity.metadata.description',
  width: 'auto',
  cellStyle: { whiteSpace: 'normal', wordBreak: 'normal' },
};

const sovereignColumns: TableColumn<CatalogTableRow>[] = [
  CatalogTable.columns.createTitleColumn({ hidden: true }),
  {
    ...CatalogTable.columns.createNameColumn({ defaultKind: 'sovereign' }),
    cellStyle: { whiteSpace: 'nowrap' },
  },
  {
    title: 'Phase',
    field: 'entity.spec.phase',
    render: ({ entity }) => <SovereignPhaseChip phase={specOf(entity).phase} />,
  },
  { title: 'FQDN', field: 'entity.spec.fqdn' },
  { title: 'Organization', field: 'entity.spec.organization' },
  {
    title: 'Topology',
    field: 'entity.spec.topology.template',
    render: ({ entity }) => {
      const topology = specOf(entity).topology ?? {};
      const regions = (topology.regions ?? []).length;
      return topology.template
        ? `${topology.template} · ${regions} region${regions === 1 ? '' : 's'}`
        : '—';
    },
  },
  CatalogTable.columns.createOwnerColumn(),
];

const blueprintColumns: TableColumn<CatalogTableRow>[] = [
  CatalogTable.columns.createTitleColumn({ hidden: true }),
  {
    title: 'Name',
    field: 'resolved.entityRef',
    highlight: true,
    cellStyle: { whiteSpace: 'nowrap' },
    customSort: (a, b) =>
      (a.entity.metadata.title ?? a.entity.metadata.name).localeCompare(
        b.entity.metadata.title ?? b.entity.metadata.name,
      ),
    render: ({ entity }) => (
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <BlueprintLogo entity={entity} name={entity.metadata.name} size={24} />
        <EntityRefLink entityRef={entity} defaultKind="blueprint" />
      </Box>
    ),
  },
  { title: 'Family', field: 'entity.spec.family' },
  {
    title: 'Version',
    field: 'entity.spec.version',
    render: ({ entity }) => specOf(entity).version ?? 'not published',
  },
  {
    title: 'Installable',
    field: 'entity.spec.installable',
    render: ({ entity }) => (specOf(entity).installable ? 'yes' : 'not yet'),
  },
  CatalogTable.columns.createOwnerColumn(),
  descriptionColumn,
];

const voucherColumns: TableColumn<CatalogTableRow>[] = [
  CatalogTable.columns.createNameColumn({ defaultKind: 'voucher' }),
  { title: 'Sovereign', field: 'entity.spec.sovereign' },
  { title: 'State', field: 'entity.spec.state' },
  {
    title: 'Credit',
    field: 'entity.spec.credit.amount',
    render: ({ entity }) => {
      const credit = specOf(entity).credit;
      return credit ? `${credit.amount} ${credit.currency}` : '—';
    },
  },
  {
    title: 'Redeemed',
    field: 'entity.spec.timesRedeemed',
    render: ({ entity }) => {
      const spec = specOf(entity);
      return `${spec.timesRedeemed ?? 0} of ${
        spec.maxRedemptions ? spec.maxRedemptions : 'unlimited'
      }`;
    },
  },
  CatalogTable.columns.createOwnerColumn(),
];

/** Catalyst's kinds get the columns that say something about them; every other kind keeps Backstage's. */
export const catalystColumns: CatalogTableColumnsFunc = context => {
  switch (context.filters.kind?.value?.toLocaleLowerCase('en-US')) {
    case 'sovereign':
      return sovereignColumns;
    case 'blueprint':
      return blueprintColumns;
    case 'voucher':
      return voucherColumns;
    default:
      return CatalogTable.defaultColumnsFunc(context);
  }
};
