import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import type { ComponentCatalog } from '@catalyst/plugin-catalyst-common';

/** The search box, one chip per family, and add/remove-all for the family chosen. */
export const FamilyFilter = (props: {
  catalog: ComponentCatalog;
  query: string;
  onQuery: (query: string) => void;
  family: string | undefined;
  onFamily: (family: string | undefined) => void;
  onAddAll: (family: string) => void;
  onRemoveAll: (family: string) => void;
}) => {
  const { catalog, query, family } = props;
  const active = catalog.families.find(f => f.id === family);
  return (
    <>
      <TextField
        id="component-search"
        label="Search components"
        value={query}
        onChange={e => props.onQuery(e.target.value)}
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
          color={family ? 'default' : 'primary'}
          onClick={() => props.onFamily(undefined)}
        />
        {catalog.families.map(f => (
          <Chip
            key={f.id}
            label={f.name}
            color={family === f.id ? 'primary' : 'default'}
            onClick={() => props.onFamily(f.id)}
          />
        ))}
      </Box>
      {active && (
        <Box mt={1} display="flex" style={{ gap: 8 }}>
          <Button size="small" onClick={() => props.onAddAll(active.id)}>
            Add all {active.name}
          </Button>
          <Button size="small" onClick={() => props.onRemoveAll(active.id)}>
            Remove all {active.name}
          </Button>
        </Box>
      )}
    </>
  );
};
