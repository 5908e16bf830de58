import { useEffect, useMemo, useRef, useState } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { Link, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Chip from '@material-ui/core/Chip';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  addComponent,
  addFamily,
  alwaysIncludedComponents,
  closeSelection,
  defaultSelection,
  installationProblem,
  normalizeComponentIds,
  removeComponent,
  removeFamily,
  type Component,
  type ComponentCatalog,
} from '@catalyst/plugin-catalyst-common';
import { useCatalogData } from '../useCatalogData';
import { blueprintEntityPath, componentSelectionErrors } from './validation';

type Notice = { severity: 'success' | 'info' | 'warning'; text: string };
/** Why a component entered the selection: a dependency of one component, or the suite of its family. */
type AddedReason = { kind: 'dependency' | 'family'; via: string };

const NOTICE_MS = 2500;

function names(catalog: ComponentCatalog, ids: string[]): string {
  const shown = ids
    .slice(0, 5)
    .map(id => catalog.components.find(c => c.id === id)?.name ?? id);
  const more = ids.length > 5 ? ` and ${ids.length - 5} more` : '';
  return `${shown.join(', ')}${more}`;
}

/** Matches the search text against name, id, description, family name and family subtitle. */
function matches(catalog: ComponentCatalog, c: Component, query: string) {
  if (!query) return true;
  const family = catalog.families.find(f => f.id === c.family);
  const haystack = [
    c.name,
    c.id,
    c.description,
    family?.name ?? '',
    family?.subtitle ?? '',
  ]
    .join(' ')
    .toLowerCase();
  return haystack.includes(query.trim().toLowerCase());
}

export const ComponentMarketplace = (
  props: FieldExtensionComponentProps<string[]>,
) => {
  const { formData, onChange, rawErrors, schema } = props;
  const catalogState = useCatalogData();
  const catalog = catalogState.data?.components;
  const [tab, setTab] = useState(0);
  const [query, setQuery] = useState('');
  const [familyFilter, setFamilyFilter] = useState<string | undefined>();
  const [addedFor, setAddedFor] = useState<Record<string, AddedReason>>({});
  const [notice, setNotice] = useState<Notice | undefined>();
  const [refusal, setRefusal] = useState<string | undefined>();
  const timer = useRef<ReturnType<typeof setTimeout>>();

  // First visit seeds the default selection; a draft from an older wizard is cleaned and closed.
  useEffect(() => {
    if (!catalog) return;
    if (!formData || formData.length === 0) {
      onChange(defaultSelection(catalog));
      return;
    }
    // A draft from before a component lost (or never had) its Blueprint: what cannot be installed is dropped.
    const cleaned = closeSelection(
      catalog,
      normalizeComponentIds(catalog, formData).filter(
        id => !installationProblem(catalog, id),
      ),
    );
    if (cleaned.join(',') !== [...formData].sort().join(',')) {
      onChange(cleaned);
    }
  }, [catalog, formData, onChange]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const always = useMemo(
    () => (catalog ? alwaysIncludedComponents(catalog) : []),
    [catalog],
  );

  if (catalogState.loading) return <Progress />;
  if (!catalog) {
    return (
      <Alert severity="error">
        Could not load the component catalog: {catalogState.error?.message}
      </Alert>
    );
  }

  const selection = formData ?? [];
  const selected = new Set(selection);
  const liveErrors = componentSelectionErrors(catalog, selection);
  const errors = [...liveErrors, ...(rawErrors ?? [])];

  const showNotice = (next: Notice) => {
    setNotice(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setNotice(undefined), NOTICE_MS);
  };

  const familyOf = (id: string) => {
    const familyId = catalog.components.find(c => c.id === id)?.family;
    return catalog.families.find(f => f.id === familyId);
  };

  const applyAdd = (result: ReturnType<typeof addComponent>, what: string) => {
    const refused = result.skipped.find(s => s.reason === 'selected');
    if (refused && result.added.length === 0) {
      setRefusal(refused.problem);
      return;
    }
    setRefusal(undefined);
    const nextFor = { ...addedFor };
    for (const a of result.added) {
      if (a.reason === 'family') {
        nextFor[a.id] = { kind: 'family', via: familyOf(a.id)?.id ?? '' };
      } else if (a.reason === 'dependency' && a.via) {
        nextFor[a.id] = { kind: 'dependency', via: a.via };
      }
    }
    setAddedFor(nextFor);
    onChange(result.selection);
    const extra = result.added.filter(a => a.reason !== 'selected');
    const pulledFamilies = [
      ...new Set(
        result.added.filter(a => a.reason === 'family').map(a => a.id),
      ),
    ]
      .map(id => catalog.components.find(c => c.id === id)?.family)
      .filter((f, i, all): f is string => !!f && all.indexOf(f) === i)
      .map(f => catalog.families.find(x => x.id === f)?.name ?? f);
    const alsoAdded = extra.length
      ? `; also added ${names(
          catalog,
          extra.map(a => a.id),
        )}`
      : '';
    const familyNote = pulledFamilies.length
      ? ` (the ${pulledFamilies.join(', ')} suite)`
      : '';
    const leftOut = result.skipped.length
      ? `. Left out, not installable yet: ${names(
          catalog,
          result.skipped.map(x => x.id),
        )}`
      : '';
    showNotice({
      severity: result.skipped.length ? 'warning' : 'success',
      text: `Added ${what}${alsoAdded}${familyNote}${leftOut}`,
    });
  };

  const applyRemove = (
    result: ReturnType<typeof removeComponent>,
    what: string,
  ) => {
    if ('refused' in result) {
      setRefusal(result.reason);
      return;
    }
    setRefusal(undefined);
    const nextFor = { ...addedFor };
    for (const id of result.removed) delete nextFor[id];
    setAddedFor(nextFor);
    onChange(result.selection);
    showNotice({ severity: 'info', text: `Removed ${what}` });
  };

  const toggle = (c: Component) => {
    const problem = installationProblem(catalog, c.id);
    if (problem && !selected.has(c.id)) {
      setRefusal(problem);
      return;
    }
    if (always.includes(c.id)) {
      showNotice({
        severity: 'info',
        text: `${c.name} is always installed`,
      });
      return;
    }
    if (selected.has(c.id)) {
      applyRemove(removeComponent(catalog, selection, c.id), c.name);
    } else {
      applyAdd(addComponent(catalog, selection, c.id), c.name);
    }
  };

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
  const activeFamily = catalog.families.find(f => f.id === familyFilter);

  /** What adding `c` would also bring, said before the switch is flipped (the suite rule above all). */
  const suiteNote = (c: Component): string | undefined => {
    const family = catalog.families.find(f => f.id === c.family);
    if (!family?.cascadeOnMemberSelection || selected.has(c.id)) {
      return undefined;
    }
    const preview = addComponent(catalog, selection, c.id);
    const others = preview.added.filter(a => a.id !== c.id).map(a => a.id);
    if (others.length === 0) return undefined;
    return `Adding ${c.name} adds the ${family.name} suite: ${names(
      catalog,
      others,
    )} (${
      others.length
    } more). Monthly estimate: +0 — it counts machines only, and the suite runs on the workers sized on the Provider page.`;
  };

  const renderCard = (c: Component, readOnly: boolean) => {
    const family = catalog.families.find(f => f.id === c.family);
    const isSelected = selected.has(c.id);
    const problem = installationProblem(catalog, c.id);
    const tierLabel = always.includes(c.id)
      ? 'MANDATORY'
      : c.tier.toUpperCase();
    const note = !readOnly && !problem ? suiteNote(c) : undefined;
    const reason = isSelected ? addedFor[c.id] : undefined;
    let reasonLabel: string | undefined;
    if (reason?.kind === 'family') {
      reasonLabel = `${
        catalog.families.find(f => f.id === reason.via)?.name ?? reason.via
      } suite`;
    } else if (reason) {
      reasonLabel = `needed by ${
        catalog.components.find(x => x.id === reason.via)?.name ?? reason.via
      }`;
    }
    return (
      <Grid item xs={12} sm={6} md={4} key={c.id}>
        <Card variant="outlined" data-testid={`component-card-${c.id}`}>
          <CardContent>
            <Box display="flex" justifyContent="space-between">
              <Typography variant="h6" component="h3">
                <Link to={blueprintEntityPath(c.id)}>{c.name}</Link>
              </Typography>
              {!readOnly && (
                <Switch
                  checked={isSelected}
                  disabled={Boolean(problem) && !isSelected}
                  onChange={() => toggle(c)}
                  color="primary"
                  inputProps={{
                    'aria-label': `${isSelected ? 'Remove' : 'Add'} ${c.name}`,
                  }}
                />
              )}
            </Box>
            <Typography variant="body2" color="textSecondary">
              {c.description}
            </Typography>
            {problem && (
              <Typography
                variant="body2"
                color="error"
                data-testid={`not-installable-${c.id}`}
              >
                {problem}
              </Typography>
            )}
            {note && (
              <Typography
                variant="body2"
                data-testid={`suite-note-${c.id}`}
                style={{ marginTop: 4 }}
              >
                {note}
              </Typography>
            )}
            <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 4 }}>
              <Chip
                size="small"
                label={family?.name ?? c.family}
                onClick={() => setFamilyFilter(c.family)}
              />
              <Chip size="small" variant="outlined" label={tierLabel} />
              {problem && (
                <Chip
                  size="small"
                  color="secondary"
                  label="Not installable yet"
                />
              )}
              {c.dependsOn.map(dep => (
                <Chip
                  key={dep}
                  size="small"
                  variant="outlined"
                  label={`+ ${dep}`}
                />
              ))}
              {reasonLabel && (
                <Chip size="small" color="primary" label={reasonLabel} />
              )}
            </Box>
          </CardContent>
        </Card>
      </Grid>
    );
  };

  return (
    <Box>
      <Typography variant="h6">{schema.title ?? 'Components'}</Typography>
      <Box display="flex" alignItems="center" style={{ gap: 16 }}>
        <Typography aria-live="polite" data-testid="component-counter">
          Selected ({selection.length}) of {catalog.components.length}
        </Typography>
        <Button
          variant="outlined"
          size="small"
          onClick={() => {
            setAddedFor({});
            setRefusal(undefined);
            onChange(defaultSelection(catalog));
            showNotice({ severity: 'info', text: 'Restored the defaults' });
          }}
        >
          Reset to defaults
        </Button>
      </Box>
      <Tabs value={tab} onChange={(_, v) => setTab(v)}>
        <Tab label={`Choose your stack (${chosenCount})`} />
        <Tab label={`Always included (${always.length})`} />
      </Tabs>
      {notice && (
        <Alert severity={notice.severity} role="status">
          {notice.text}
        </Alert>
      )}
      {refusal && (
        <Alert
          severity="warning"
          role="alert"
          onClose={() => setRefusal(undefined)}
        >
          {refusal}
        </Alert>
      )}
      {errors.map(e => (
        <FormHelperText error key={e}>
          {e}
        </FormHelperText>
      ))}
      {tab === 0 && (
        <Box mt={2}>
          <TextField
            id="component-search"
            label="Search components"
            value={query}
            onChange={e => setQuery(e.target.value)}
            fullWidth
            variant="outlined"
            size="small"
          />
          <Box
            mt={1}
            display="flex"
            flexWrap="wrap"
            style={{ gap: 4 }}
            role="group"
            aria-label="Family filter"
          >
            <Chip
              label="All families"
              color={familyFilter ? 'default' : 'primary'}
              onClick={() => setFamilyFilter(undefined)}
            />
            {catalog.families.map(f => (
              <Chip
                key={f.id}
                label={f.name}
                color={familyFilter === f.id ? 'primary' : 'default'}
                onClick={() => setFamilyFilter(f.id)}
              />
            ))}
          </Box>
          {activeFamily && (
            <Box mt={1} display="flex" style={{ gap: 8 }}>
              <Button
                size="small"
                onClick={() =>
                  applyAdd(
                    addFamily(catalog, selection, activeFamily.id),
                    `the ${activeFamily.name} family`,
                  )
                }
              >
                Add all {activeFamily.name}
              </Button>
              <Button
                size="small"
                onClick={() =>
                  applyRemove(
                    removeFamily(catalog, selection, activeFamily.id),
                    `the ${activeFamily.name} family`,
                  )
                }
              >
                Remove all {activeFamily.name}
              </Button>
            </Box>
          )}
          <Grid container spacing={2} style={{ marginTop: 8 }}>
            {visible.map(c => renderCard(c, false))}
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
                    .map(c => renderCard(c, true))}
                </Grid>
              </Box>
            ))}
        </Box>
      )}
    </Box>
  );
};
