import { useEffect, useRef } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import type { NodeSku } from '@catalyst/plugin-catalyst-common';
import { useCatalogData } from '../useCatalogData';
import { consumeTopologyChange } from '../topologyChange';
import { wizardFormData, type RegionValue } from '../wizardForm';
import {
  clampWorkerCount,
  costOf,
  hqHintFor,
  regionLabelsFor,
  reseedForProvider,
  seedRegion,
} from '../wizardRules';
import { regionErrors } from './validation';

function skuLabel(sku: NodeSku, currency: string): string {
  const disk =
    typeof sku.diskGb === 'number' ? `${sku.diskGb} GB disk` : sku.diskGb;
  return `${sku.id} — ${sku.vcpu} vCPU · ${
    sku.memoryGb
  } GB RAM · ${disk} · ${sku.priceHour.toFixed(4)} ${currency}/hr`;
}

const money = (v: number) =>
  new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' }).format(
    v,
  );

export const RegionSizing = (
  props: FieldExtensionComponentProps<RegionValue[]>,
) => {
  const { formData, onChange, rawErrors, formContext } = props;
  const form = wizardFormData(formContext);
  const catalogState = useCatalogData();
  const data = catalogState.data;
  const topology = form.topology;
  const hq = form.orgHeadquarters ?? '';
  const labels = topology ? regionLabelsFor(topology) : [];
  const checkedTopologyChange = useRef(false);

  // Size the list for the chosen topology: first visit and topology changes seed every card afresh;
  // toggling AIR-GAP keeps the other cards and adds or drops the isolated one at the end.
  useEffect(() => {
    if (!data || !topology) return;
    const changed = !checkedTopologyChange.current && consumeTopologyChange();
    checkedTopologyChange.current = true;
    const current = changed ? [] : formData ?? [];
    const wanted = labels.length;
    const main = current.filter(r => !r.airgap);
    const mainCount = wanted - (topology.airgap ? 1 : 0);
    const next: RegionValue[] = [];
    for (let i = 0; i < mainCount; i++) {
      next.push(main[i] ?? seedRegion(data, i, hq, false));
    }
    if (topology.airgap) {
      next.push(
        current.find(r => r.airgap) ?? seedRegion(data, mainCount, hq, true),
      );
    }
    if (JSON.stringify(next) !== JSON.stringify(formData ?? [])) onChange(next);
  }, [data, topology, formData, hq, labels.length, onChange]);

  if (!topology) {
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
    <Box>
      <Typography variant="h6">Provider and sizing per region</Typography>
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
        {regions.map((region, index) => {
          const provider =
            data.nodeSizes.providers[
              region.provider as keyof typeof data.nodeSizes.providers
            ];
          const errors = regionErrors(data, region);
          const label = labels[index] ?? `Region ${index + 1}`;
          const fieldId = `region-${index}`;
          return (
            <Grid item xs={12} md={4} key={fieldId}>
              <Card variant="outlined" aria-label={label} role="group">
                <CardContent>
                  <Typography variant="subtitle1">{label}</Typography>
                  <TextField
                    select
                    fullWidth
                    margin="dense"
                    id={`${fieldId}-provider`}
                    label="Provider"
                    value={region.provider}
                    onChange={e =>
                      update(
                        index,
                        reseedForProvider(
                          data,
                          region,
                          index,
                          hq,
                          e.target.value,
                        ),
                      )
                    }
                    error={!!errors.provider}
                    helperText={errors.provider}
                  >
                    {Object.entries(data.nodeSizes.providers).map(([id, p]) => (
                      <MenuItem key={id} value={id}>
                        {p.name}
                      </MenuItem>
                    ))}
                  </TextField>
                  <TextField
                    select
                    fullWidth
                    margin="dense"
                    id={`${fieldId}-cloud-region`}
                    label="Cloud region"
                    value={region.cloudRegion}
                    onChange={e =>
                      update(index, { cloudRegion: e.target.value })
                    }
                    error={!!errors.cloudRegion}
                    helperText={errors.cloudRegion}
                  >
                    {(provider?.regions ?? []).map(r => (
                      <MenuItem key={r.id} value={r.id}>
                        {r.id} — {r.location}
                      </MenuItem>
                    ))}
                  </TextField>
                  <TextField
                    select
                    fullWidth
                    margin="dense"
                    id={`${fieldId}-control-plane-size`}
                    label="Control-plane size"
                    value={region.controlPlaneSize}
                    onChange={e =>
                      update(index, { controlPlaneSize: e.target.value })
                    }
                    error={!!errors.controlPlaneSize}
                    helperText={errors.controlPlaneSize}
                  >
                    {(provider?.skus ?? []).map(s => (
                      <MenuItem key={s.id} value={s.id}>
                        {skuLabel(s, provider!.currency)}
                      </MenuItem>
                    ))}
                  </TextField>
                  <TextField
                    fullWidth
                    margin="dense"
                    id={`${fieldId}-worker-count`}
                    label="Worker nodes"
                    type="number"
                    inputProps={{
                      min: data.nodeSizes.workers.countMin,
                      max: data.nodeSizes.workers.countMax,
                      step: 1,
                    }}
                    value={region.workerCount}
                    onChange={e => {
                      const workerCount = clampWorkerCount(
                        data,
                        e.target.value,
                      );
                      update(index, {
                        workerCount,
                        workerSize:
                          workerCount > 0
                            ? region.workerSize ||
                              provider?.defaults.worker ||
                              ''
                            : region.workerSize,
                      });
                    }}
                    error={!!errors.workerCount}
                    helperText={
                      errors.workerCount ??
                      (region.workerCount === 0
                        ? 'At 0 workers the control plane runs every workload.'
                        : undefined)
                    }
                  />
                  {region.workerCount > 0 && (
                    <TextField
                      select
                      fullWidth
                      margin="dense"
                      id={`${fieldId}-worker-size`}
                      label="Worker size"
                      value={region.workerSize}
                      onChange={e =>
                        update(index, { workerSize: e.target.value })
                      }
                      error={!!errors.workerSize}
                      helperText={errors.workerSize}
                    >
                      {(provider?.skus ?? []).map(s => (
                        <MenuItem key={s.id} value={s.id}>
                          {skuLabel(s, provider!.currency)}
                        </MenuItem>
                      ))}
                    </TextField>
                  )}
                  <Typography variant="body2" data-testid={`${fieldId}-cost`}>
                    {money(cost.lines[index]?.perHour ?? 0)}/hr
                  </Typography>
                </CardContent>
              </Card>
            </Grid>
          );
        })}
      </Grid>
      <Box mt={2} aria-live="polite">
        <Typography variant="subtitle1" data-testid="cost-total">
          Estimated: {money(cost.perHour)}/hr · {money(cost.perMonth)}/mo
        </Typography>
        <Typography variant="caption" color="textSecondary">
          Nodes only; load balancers and volumes are not included.
        </Typography>
      </Box>
      {(rawErrors ?? []).map(e => (
        <FormHelperText error key={e}>
          {e}
        </FormHelperText>
      ))}
    </Box>
  );
};
