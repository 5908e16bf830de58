import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  isTopologyTemplate,
  topologyFacts,
} from '@catalyst/plugin-catalyst-common';
import { useCatalogData } from '../useCatalogData';
import { CATALYST_FIELD, useOwnErrorMessages } from '../errorSummary';
import { useFieldErrors } from '../useFieldErrors';
import { wizardFormData, type RegionValue } from '../wizardForm';
import { costOf, hqHintFor, regionLabelsFor } from '../wizardRules';
import { CostSummary } from './CostSummary';
import { RegionCard } from './RegionCard';
import { useRegionCards } from './useRegionCards';

/** The Provider page: one card per region of the chosen topology, and the running cost of them all. */
export const RegionSizing = (
  props: FieldExtensionComponentProps<RegionValue[]>,
) => {
  const { formData, onChange, rawErrors, formContext } = props;
  useOwnErrorMessages();
  const form = wizardFormData(formContext);
  const catalogState = useCatalogData();
  const data = catalogState.data;
  const topology = form.topology;
  const hq = form.orgHeadquarters ?? '';
  const labels = topology ? regionLabelsFor(topology) : [];
  useRegionCards({
    data,
    topology,
    regionCount: labels.length,
    headquarters: hq,
    regions: formData,
    onChange,
  });
  // Per-card problems show on the cards themselves; only what belongs to no card is listed below them.
  const pageErrors = useFieldErrors(formData, rawErrors, []).filter(
    e => !labels.some(label => e.startsWith(`${label}: `)),
  );

  if (!topology?.template) {
    return (
      <Alert severity="warning">
        Choose a topology on the Topology page first.
      </Alert>
    );
  }
  if (catalogState.loading) return <Progress />;
  if (!data) {
    return (
      <Alert severity="error">
        Could not load the node-size catalog: {catalogState.error?.message}
      </Alert>
    );
  }

  const regions = formData ?? [];
  const hint = hqHintFor(hq);
  const cost = costOf(data, regions, !!topology.haEnabled);
  const update = (index: number, patch: Partial<RegionValue>) =>
    onChange(regions.map((r, i) => (i === index ? { ...r, ...patch } : r)));

  return (
    <Box {...CATALYST_FIELD}>
      <Typography variant="h6">Provider and sizing per region</Typography>
      {isTopologyTemplate(topology.template) && (
        <Typography variant="body2" data-testid="region-facts">
          {topologyFacts(topology.template, !!topology.airgap).summary}: one
          card per region.
        </Typography>
      )}
      {hint && (
        <Typography variant="body2" color="textSecondary">
          Suggested for “{hq}”:{' '}
          {data.nodeSizes.providers[
            hint.provider as keyof typeof data.nodeSizes.providers
          ]?.name ?? hint.provider}{' '}
          in {hint.regions.join(', ')}.
        </Typography>
      )}
      <Grid container spacing={2}>
        {regions.map((region, index) => (
          <Grid item xs={12} md={4} key={`region-${index}`}>
            <RegionCard
              data={data}
              index={index}
              label={labels[index] ?? `Region ${index + 1}`}
              region={region}
              headquarters={hq}
              perHour={cost.lines[index]?.perHour ?? 0}
              onChange={patch => update(index, patch)}
            />
          </Grid>
        ))}
      </Grid>
      <CostSummary cost={cost} />
      {pageErrors.map(e => (
        <FormHelperText error key={e}>
          {e}
        </FormHelperText>
      ))}
    </Box>
  );
};
