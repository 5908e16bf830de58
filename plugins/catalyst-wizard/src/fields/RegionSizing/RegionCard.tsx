import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Typography from '@material-ui/core/Typography';
import type { CatalystCatalogData } from '../../api';
import type { RegionValue } from '../wizardForm';
import { reseedForProvider } from '../wizardRules';
import { money, skuLabel } from './format';
import { regionErrors } from './validation';
import { WorkerCountField } from './WorkerCountField';
import { SelectField } from '../parts/SelectField';

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
  const sizeOptions = (provider?.skus ?? []).map(s => ({
    value: s.id,
    label: skuLabel(s, provider!.currency),
  }));
  return (
    <Card variant="outlined" aria-label={label} role="group">
      <CardContent>
        <Typography variant="subtitle1">{label}</Typography>
        <SelectField
          id={`${fieldId}-provider`}
          label="Provider"
          value={region.provider}
          onChange={value =>
            onChange(
              reseedForProvider(data, region, index, headquarters, value),
            )
          }
          error={errors.provider}
          options={Object.entries(data.nodeSizes.providers).map(([id, p]) => ({
            value: id,
            label: p.name,
          }))}
        />
        <SelectField
          id={`${fieldId}-cloud-region`}
          label="Cloud region"
          value={region.cloudRegion}
          onChange={cloudRegion => onChange({ cloudRegion })}
          error={errors.cloudRegion}
          options={(provider?.regions ?? []).map(r => ({
            value: r.id,
            label: `${r.id} — ${r.location}`,
          }))}
        />
        <SelectField
          id={`${fieldId}-control-plane-size`}
          label="Control-plane size"
          value={region.controlPlaneSize}
          onChange={controlPlaneSize => onChange({ controlPlaneSize })}
          error={errors.controlPlaneSize}
          options={sizeOptions}
        />
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
          <SelectField
            id={`${fieldId}-worker-size`}
            label="Worker size"
            value={region.workerSize}
            onChange={workerSize => onChange({ workerSize })}
            error={errors.workerSize}
            options={sizeOptions}
          />
        )}
        <Typography variant="body2" data-testid={`${fieldId}-cost`}>
          {money(perHour)}/hr
        </Typography>
      </CardContent>
    </Card>
  );
};
