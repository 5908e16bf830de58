import { useState } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  addFamily,
  installationProblem,
  removeFamily,
  type Component,
} from '@catalyst/plugin-catalyst-common';
import { CATALYST_FIELD, useOwnErrorMessages } from '../errorSummary';
import { useCatalogData } from '../useCatalogData';
import { useFieldErrors } from '../useFieldErrors';
import { wizardFormData } from '../wizardForm';
import { matches, suiteNote } from './catalogText';
import { ComponentCard } from './ComponentCard';
import { FamilyFilter } from './FamilyFilter';
import { useMarketplaceSelection } from './useMarketplaceSelection';
import { componentSelectionErrors } from './validation';

/** `the 3 worker nodes sized on the Provider page`: where an added suite runs. */
function workersText(regions: { workerCount: number }[] | undefined): string {
  const count = (regions ?? []).reduce(
    (sum, r) => sum + (Number.isFinite(r.workerCount) ? r.workerCount : 0),
    0,
  );
  if (count === 0) return 'the control planes sized on the Provider page';
  return `the ${count} worker node${
    count === 1 ? '' : 's'
  } sized on the Provider page`;
}

/** The Components page: the platform building blocks to install, with their dependencies and suites. */
export const ComponentMarketplace = (
  props: FieldExtensionComponentProps<string[]>,
) => {
  const { formData, onChange, rawErrors, schema, formContext } = props;
  useOwnErrorMessages();
  const catalogState = useCatalogData();
  const catalog = catalogState.data?.components;
  const [tab, setTab] = useState(0);
  const [query, setQuery] = useState('');
  const [familyFilter, setFamilyFilter] = useState<string | undefined>();
  const market = useMarketplaceSelection(catalog, formData, onChange);
  const { selection, always } = market;
  const errors = useFieldErrors(
    selection,
    rawErrors,
    catalog ? componentSelectionErrors(catalog, selection) : [],
    true,
  );

  if (catalogState.loading) return <Progress />;
  if (!catalog) {
    return (
      <Alert severity="error">
        Could not load the component catalog: {catalogState.error?.message}
      </Alert>
    );
  }

  const selected = new Set(selection);
  const workers = workersText(wizardFormData(formContext).regions);
  const selectable = catalog.components.filter(c => !always.includes(c.id));
  const chosenCount = selectable.filter(c => selected.has(c.id)).length;
  const visible = selectable
    .filter(c => !familyFilter || c.family === familyFilter)
    .filter(c => matches(catalog, c, query))
    .sort((a, b) => {
      const sa = selected.has(a.id) ? 0 : 1;
      const sb = selected.has(b.id) ? 0 : 1;
      return sa - sb || a.name.localeCompare(b.name);
    });
  const familyName = (id: string) =>
    catalog.families.find(f => f.id === id)?.name ?? id;

  const card = (c: Component, readOnly: boolean) => (
    <ComponentCard
      key={c.id}
      catalog={catalog}
      component={c}
      selected={selected.has(c.id)}
      alwaysIncluded={always.includes(c.id)}
      readOnly={readOnly}
      note={
        !readOnly && !installationProblem(catalog, c.id)
          ? suiteNote(catalog, selection, c, workers)
          : undefined
      }
      addedFor={market.addedFor[c.id]}
      onToggle={() => market.toggle(c)}
      onFamily={() => setFamilyFilter(c.family)}
    />
  );

  return (
    <Box {...CATALYST_FIELD}>
      <Typography variant="h6">{schema.title ?? 'Components'}</Typography>
      <Box display="flex" alignItems="center" style={{ gap: 16 }}>
        <Typography aria-live="polite" data-testid="component-counter">
          Selected ({selection.length}) of {catalog.components.length}
        </Typography>
        <Button variant="outlined" size="small" onClick={market.reset}>
          Reset to defaults
        </Button>
      </Box>
      <Tabs value={tab} onChange={(_, v) => setTab(v)}>
        <Tab label={`Choose your stack (${chosenCount})`} />
        <Tab label={`Always included (${always.length})`} />
      </Tabs>
      {market.notice && (
        <Alert severity={market.notice.severity} role="status">
          {market.notice.text}
        </Alert>
      )}
      {market.refusal && (
        <Alert severity="warning" role="alert" onClose={market.dismissRefusal}>
          {market.refusal}
        </Alert>
      )}
      {errors.map(e => (
        <FormHelperText error key={e}>
          {e}
        </FormHelperText>
      ))}
      {tab === 0 && (
        <Box mt={2}>
          <FamilyFilter
            catalog={catalog}
            query={query}
            onQuery={setQuery}
            family={familyFilter}
            onFamily={setFamilyFilter}
            onAddAll={id =>
              market.applyAdd(
                addFamily(catalog, selection, id),
                `the ${familyName(id)} family`,
              )
            }
            onRemoveAll={id =>
              market.applyRemove(
                removeFamily(catalog, selection, id),
                `the ${familyName(id)} family`,
              )
            }
          />
          <Grid container spacing={2} style={{ marginTop: 8 }}>
            {visible.map(c => card(c, false))}
          </Grid>
          {visible.length === 0 && (
            <Typography color="textSecondary">
              No component matches “{query}”.
            </Typography>
          )}
        </Box>
      )}
      {tab === 1 && (
        <Box mt={2}>
          {catalog.families
            .filter(f => f.members.some(m => always.includes(m)))
            .map(f => (
              <Box key={f.id} mb={2}>
                <Typography variant="subtitle1">
                  {f.name} — {f.subtitle}
                </Typography>
                <Grid container spacing={2}>
                  {catalog.components
                    .filter(c => c.family === f.id && always.includes(c.id))
                    .map(c => card(c, true))}
                </Grid>
              </Box>
            ))}
        </Box>
      )}
    </Box>
  );
};
