import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useTemplateSecrets } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Card from '@material-ui/core/Card';
import CardActionArea from '@material-ui/core/CardActionArea';
import CardContent from '@material-ui/core/CardContent';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import { useEffect } from 'react';
import { TOPOLOGIES, topologyFacts } from '@catalyst/plugin-catalyst-common';
import { providerTokenSecret, type TopologyValue } from '../wizardForm';
import { markTopologyChanged } from '../topologyChange';
import { CATALYST_FIELD, useOwnErrorMessages } from '../errorSummary';
import { useFieldErrors } from '../useFieldErrors';
import { topologyErrors } from './validation';

const ALL_PROVIDERS = ['hetzner', 'huawei', 'oci', 'aws', 'azure'];

export const TopologyPicker = (
  props: FieldExtensionComponentProps<TopologyValue>,
) => {
  const { formData, onChange, rawErrors, schema } = props;
  useOwnErrorMessages();
  const { setSecrets } = useTemplateSecrets();
  const value: TopologyValue = {
    template: formData?.template ?? '',
    airgap: formData?.airgap ?? false,
    haEnabled: formData?.haEnabled ?? false,
  };
  // An empty choice is stored at once, so Next runs the topology rule ("Choose a topology") instead of the
  // JSON-schema text for a missing property.
  useEffect(() => {
    if (!formData) onChange(value);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [formData]);
  const errors = useFieldErrors(value, rawErrors, topologyErrors(value));

  const choose = (template: string) => {
    if (template !== value.template) {
      // Changing the topology invalidates every region card and the provider tokens that went with them.
      markTopologyChanged();
      setSecrets(
        Object.fromEntries(
          ALL_PROVIDERS.map(p => [providerTokenSecret(p), '']),
        ),
      );
    }
    onChange({ ...value, template });
  };

  return (
    <Box {...CATALYST_FIELD}>
      <Typography variant="h6">{schema.title ?? 'Topology'}</Typography>
      <Grid container spacing={2} role="radiogroup" aria-label="Topology">
        {TOPOLOGIES.map(t => {
          const selected = t.id === value.template;
          return (
            <Grid item xs={12} sm={6} md={4} key={t.id}>
              <Card
                variant="outlined"
                style={
                  selected ? { borderColor: '#1976d2', borderWidth: 2 } : {}
                }
              >
                <CardActionArea
                  role="radio"
                  aria-checked={selected}
                  aria-label={t.name}
                  onClick={() => choose(t.id)}
                >
                  <CardContent>
                    <Box display="flex" justifyContent="space-between">
                      <Typography variant="h6" component="span">
                        {t.name}
                      </Typography>
                      {t.tag && <Chip size="small" label={t.tag} />}
                    </Box>
                    {t.recommended && (
                      <Chip
                        size="small"
                        color="primary"
                        label="Recommended: start here"
                      />
                    )}
                    <Typography
                      variant="body2"
                      data-testid={`topology-facts-${t.id}`}
                    >
                      {topologyFacts(t.id).summary}
                    </Typography>
                    <ul style={{ margin: 0, paddingLeft: 16 }}>
                      {t.regionLabels.map(label => (
                        <li key={label}>
                          <Typography variant="caption">{label}</Typography>
                        </li>
                      ))}
                    </ul>
                  </CardContent>
                </CardActionArea>
              </Card>
            </Grid>
          );
        })}
      </Grid>
      <Box mt={2} display="flex" flexDirection="column">
        <FormControlLabel
          control={
            <Switch
              checked={value.haEnabled}
              onChange={e =>
                onChange({ ...value, haEnabled: e.target.checked })
              }
              color="primary"
            />
          }
          label="High availability: 3 control-plane nodes per region (etcd quorum)"
        />
        <FormControlLabel
          control={
            <Switch
              checked={value.airgap}
              onChange={e => onChange({ ...value, airgap: e.target.checked })}
              color="primary"
            />
          }
          label="AIR-GAP add-on (Ransomware Recovery): one isolated region with pull-only replication"
        />
      </Box>
      {errors.map(e => (
        <FormHelperText error key={e}>
          {e}
        </FormHelperText>
      ))}
    </Box>
  );
};
