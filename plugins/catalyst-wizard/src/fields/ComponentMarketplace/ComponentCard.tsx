import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import {
  installationProblem,
  type Component,
  type ComponentCatalog,
} from '@catalyst/plugin-catalyst-common';
import type { SuiteNote } from './catalogText';
import type { AddedReason } from './useMarketplaceSelection';
import { blueprintEntityPath } from './validation';

function reasonLabel(
  catalog: ComponentCatalog,
  reason: AddedReason | undefined,
): string | undefined {
  if (reason?.kind === 'family') {
    return `${
      catalog.families.find(f => f.id === reason.via)?.name ?? reason.via
    } suite`;
  }
  if (reason) {
    return `needed by ${
      catalog.components.find(x => x.id === reason.via)?.name ?? reason.via
    }`;
  }
  return undefined;
}

/** One component of the marketplace: its switch, why it cannot be installed, and what adding it brings. */
export const ComponentCard = (props: {
  catalog: ComponentCatalog;
  component: Component;
  selected: boolean;
  alwaysIncluded: boolean;
  readOnly: boolean;
  note: SuiteNote | undefined;
  addedFor: AddedReason | undefined;
  onToggle: () => void;
  onFamily: () => void;
}) => {
  const { catalog, component: c, selected, readOnly, note } = props;
  const family = catalog.families.find(f => f.id === c.family);
  const problem = installationProblem(catalog, c.id);
  const tierLabel = props.alwaysIncluded ? 'MANDATORY' : c.tier.toUpperCase();
  const reason = selected ? reasonLabel(catalog, props.addedFor) : undefined;
  return (
    <Grid item xs={12} sm={6} md={4}>
      <Card variant="outlined" data-testid={`component-card-${c.id}`}>
        <CardContent>
          <Box display="flex" justifyContent="space-between">
            <Typography variant="h6" component="h3">
              <Link to={blueprintEntityPath(c.id)}>{c.name}</Link>
            </Typography>
            {!readOnly && (
              <Switch
                checked={selected}
                disabled={Boolean(problem) && !selected}
                onChange={props.onToggle}
                color="primary"
                inputProps={{
                  'aria-label': `${selected ? 'Remove' : 'Add'} ${c.name}`,
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
            <Box mt={0.5} data-testid={`suite-note-${c.id}`}>
              <Typography variant="body2" style={{ fontWeight: 500 }}>
                {note.headline}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {note.detail}
              </Typography>
            </Box>
          )}
          <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 4 }}>
            <Chip
              size="small"
              label={family?.name ?? c.family}
              onClick={props.onFamily}
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
            {reason && <Chip size="small" color="primary" label={reason} />}
          </Box>
        </CardContent>
      </Card>
    </Grid>
  );
};
