import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type { CatalystCatalogData } from '../../api';
import type { RegionValue } from '../wizardForm';
import { reseedForProvider } from '../wizardRules';
import { money, skuLabel } from './format';
import { regionErrors } from './validation';
import { WorkerCountField } from './WorkerCountField';

/** One region card of the Provider page: provider, cloud region, sizes, worker count and its hourly cost. */
export const RegionCard = (props: {
  data: CatalystCatalogData;
  index: number;
  label: string;
  region: RegionValue;
  headquarters: string;
  perHour: number;
  onChange: (patch: Partial<RegionValue>) => void;
}) => {
  const { data, index, label, region, headquarters, perHour, onChange } = props;
  const provider =
    data.nodeSizes.providers[
      region.provider as keyof typeof data.nodeSizes.providers
    ];
  const errors = regionErrors(data, region);
  const fieldId = `region-${index}`;
  const { countMin, countMax } = data.nodeSizes.workers;
  const sizeOptions = (provider?.skus ?? []).map(s => (
    <MenuItem key={s.id} value={s.id}>
      {skuLabel(s, provider!.currency)}
    </MenuItem>
  ));
  return (
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
            onChange(
              reseedForProvider(
                data,
                region,
                index,
                headquarters,
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
          onChange={e => onChange({ cloudRegion: e.target.value })}
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
          onChange={e => onChange({ controlPlaneSize: e.target.value })}
          error={!!errors.controlPlaneSize}
          helperText={errors.controlPlaneSize}
        >
          {sizeOptions}
        </TextField>
        <WorkerCountField
          id={`${fieldId}-worker-count`}
          value={region.workerCount}
          min={countMin}
          max={countMax}
          error={errors.workerCount}
          helperText={
            region.workerCount === 0
              ? 'At 0 workers the control plane runs every workload.'
              : undefined
          }
          onChange={workerCount =>
            onChange({
              workerCount,
              workerSize:
                workerCount > 0
                  ? region.workerSize || provider?.defaults.worker || ''
                  : region.workerSize,
            })
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
            onChange={e => onChange({ workerSize: e.target.value })}
            error={!!errors.workerSize}
            helperText={errors.workerSize}
          >
            {sizeOptions}
          </TextField>
        )}
        <Typography variant="body2" data-testid={`${fieldId}-cost`}>
          {money(perHour)}/hr
        </Typography>
      </CardContent>
    </Card>
  );
};
