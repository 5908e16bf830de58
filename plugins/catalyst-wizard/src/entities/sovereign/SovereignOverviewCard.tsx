import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { RELATION_OWNED_BY } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  StructuredMetadataTable,
} from '@backstage/core-components';
import {
  EntityRefLinks,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { SovereignRegion, sovereignSpec } from '../catalystEntities';
import { Note } from '../Note';
import { SovereignPhaseChip } from './SovereignPhaseChip';
import { SovereignCost, useSovereignCost } from './useSovereignCost';

/** The console of a Sovereign: what the registry recorded, else `https://console.<fqdn>`. */
export function consoleUrlOf(spec: {
  fqdn?: string;
  endpoints?: { consoleUrl?: string };
}): string | undefined {
  const recorded = spec.endpoints?.consoleUrl;
  if (recorded && /^https:\/\//.test(recorded)) return recorded;
  return spec.fqdn ? `https://console.${spec.fqdn}` : undefined;
}

function yesNo(value: boolean | undefined): string {
  if (value === undefined) return '—';
  return value ? 'yes' : 'no';
}

function describeSize(
  cost: SovereignCost | undefined,
  provider: string,
  size: string | undefined,
): string {
  if (!size) return '—';
  const sku = cost?.sku(provider, size);
  return sku ? `${size} (${sku.vcpu} vCPU, ${sku.memoryGb} GB)` : size;
}

function RegionsTable(props: {
  regions: SovereignRegion[];
  cost: SovereignCost | undefined;
}) {
  const { regions, cost } = props;
  return (
    <Table size="small" aria-label="Regions">
      <TableHead>
        <TableRow>
          <TableCell>Provider</TableCell>
          <TableCell>Region</TableCell>
          <TableCell>Control plane</TableCell>
          <TableCell>Workers</TableCell>
          <TableCell align="right">Estimate</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {regions.map((region, index) => (
          <TableRow key={`${region.provider}-${region.cloudRegion}-${index}`}>
            <TableCell>
              {region.provider}
              {region.airgap ? ' (air-gap)' : ''}
            </TableCell>
            <TableCell>{region.cloudRegion}</TableCell>
            <TableCell>
              {describeSize(cost, region.provider, region.controlPlaneSize)}
            </TableCell>
            <TableCell>
              {region.workerCount > 0
                ? `${region.workerCount} × ${describeSize(
                    cost,
                    region.provider,
                    region.workerSize,
                  )}`
                : 'none (control plane runs the workloads)'}
            </TableCell>
            <TableCell align="right">
              {cost?.regionHourly[index] !== undefined
                ? `${cost.format(cost.regionHourly[index])}/hr`
                : '—'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function CostLine(props: {
  state: ReturnType<typeof useSovereignCost>;
  decommissioned?: boolean;
}) {
  const { state, decommissioned } = props;
  if (decommissioned) {
    return (
      <Typography variant="body2" data-testid="sovereign-monthly-cost">
        No running cost: its machines were destroyed.
      </Typography>
    );
  }
  if (state.loading) {
    return (
      <Typography variant="body2" color="textSecondary">
        Estimating the monthly cost…
      </Typography>
    );
  }
  if (state.error) {
    return (
      <Typography variant="body2" color="error">
        No cost estimate: {state.error.message}
      </Typography>
    );
  }
  const cost = state.value;
  return (
    <Box>
      <Typography
        variant="h6"
        component="p"
        data-testid="sovereign-monthly-cost"
      >
        {cost.format(cost.month)} / month
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {cost.format(cost.hour)}/hr × {cost.hoursPerMonth} h; nodes only (load
        balancers and volumes are not included)
        {cost.unpriced.length > 0
          ? `; no price for ${cost.unpriced.join(', ')}`
          : ''}
        .
      </Typography>
    </Box>
  );
}

/** Who owns the Sovereign, where it lives, what it runs on and what that costs. */
export function SovereignOverviewCard() {
  const { entity } = useEntity();
  const spec = sovereignSpec(entity);
  const regions = spec.topology?.regions ?? [];
  const costState = useSovereignCost(
    regions,
    spec.topology?.haEnabled ?? false,
  );
  const owners = getEntityRelations(entity, RELATION_OWNED_BY);
  // A decommissioned Sovereign has no console, no addresses and no running cost: show what it was, not as live.
  const decommissioned = spec.phase === 'decommissioned';
  const consoleUrl = decommissioned ? undefined : consoleUrlOf(spec);
  const domain = spec.domain;
  const skipped = spec.notInstallable ?? [];
  const gone = (value: string | undefined) =>
    decommissioned && value ? `${value} (released)` : value ?? '—';

  return (
    <InfoCard title="Sovereign">
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 12 }}
        mb={2}
      >
        <Typography variant="h5" component="p">
          {spec.fqdn ?? entity.metadata.name}
        </Typography>
        <SovereignPhaseChip phase={spec.phase} />
      </Box>
      {decommissioned && (
        <Alert severity="info" style={{ marginBottom: 16 }}>
          This Sovereign was decommissioned: its machines were destroyed, its
          domain released and its overlay removed. It accepts no vouchers and no
          new organizations. What follows is what it was.
        </Alert>
      )}
      {skipped.length > 0 && (
        <Alert
          severity="warning"
          style={{ marginBottom: 16 }}
          data-testid="sovereign-skipped-components"
        >
          {skipped.length} selected component
          {skipped.length === 1 ? ' was' : 's were'} not installed, because no
          Blueprint is published for {skipped.length === 1 ? 'it' : 'them'}:{' '}
          {skipped.join(', ')}.
        </Alert>
      )}
      <Note>{spec.phaseReason}</Note>
      <StructuredMetadataTable
        metadata={{
          Console: consoleUrl ? (
            <Link to={consoleUrl}>{consoleUrl}</Link>
          ) : (
            <>{decommissioned ? '— (removed)' : '—'}</>
          ),
          Owner:
            owners.length > 0 ? (
              <EntityRefLinks entityRefs={owners} defaultKind="group" />
            ) : (
              spec.owner ?? '—'
            ),
          Organization: spec.organization ?? '—',
          Domain: domain?.mode
            ? `${domain.mode}${
                domain.mode === 'pool' && domain.poolDomain
                  ? ` (${domain.subdomain ?? '?'}.${domain.poolDomain})`
                  : ''
              }${domain.registrar ? `, registrar ${domain.registrar}` : ''}`
            : '—',
          Topology: spec.topology?.template ?? '—',
          'High availability': yesNo(spec.topology?.haEnabled),
          'Air-gap region': yesNo(spec.topology?.airgap),
          'Control-plane IP': gone(spec.endpoints?.controlPlaneIp),
          'Load-balancer IP': gone(spec.endpoints?.loadBalancerIp),
        }}
      />
      {regions.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle2">
            {decommissioned
              ? 'Regions and node sizes it ran on'
              : 'Regions and node sizes'}
          </Typography>
          <RegionsTable
            regions={regions}
            cost={
              costState.loading || costState.error ? undefined : costState.value
            }
          />
        </Box>
      )}
      <Box mt={2}>
        <CostLine state={costState} decommissioned={decommissioned} />
      </Box>
    </InfoCard>
  );
}
