import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  CompoundEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import {
  EntityRefLink,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { BlueprintLogo } from './BlueprintLogo';

function BlueprintRefList(props: {
  refs: CompoundEntityRef[];
  empty: string;
  label: string;
}) {
  const { refs, empty, label } = props;
  if (refs.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {empty}
      </Typography>
    );
  }
  return (
    <List dense aria-label={label}>
      {[...refs]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(ref => (
          <ListItem key={`${ref.namespace}/${ref.name}`} disableGutters>
            <ListItemIcon style={{ minWidth: 36 }}>
              <BlueprintLogo name={ref.name} size={24} />
            </ListItemIcon>
            <ListItemText
              primary={
                <EntityRefLink entityRef={ref} defaultKind="blueprint" />
              }
            />
          </ListItem>
        ))}
    </List>
  );
}

/** Both directions of a Blueprint's dependencies, as links to the other Blueprints' pages. */
export function BlueprintRelationsCard() {
  const { entity } = useEntity();
  const dependsOn = getEntityRelations(entity, RELATION_DEPENDS_ON, {
    kind: 'blueprint',
  });
  const neededBy = getEntityRelations(entity, RELATION_DEPENDENCY_OF, {
    kind: 'blueprint',
  });
  return (
    <InfoCard title="Dependencies">
      <Typography variant="subtitle2">Depends on</Typography>
      <BlueprintRefList
        refs={dependsOn}
        label="Depends on"
        empty="This Blueprint needs no other Blueprint."
      />
      <Typography variant="subtitle2" style={{ marginTop: 16 }}>
        Needed by
      </Typography>
      <BlueprintRefList
        refs={neededBy}
        label="Needed by"
        empty="No other Blueprint depends on this one."
      />
    </InfoCard>
  );
}
