import {
  Content,
  InfoCard,
  Link,
  LinkButton,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import { SovereignPhaseChip } from '@catalyst/plugin-catalyst-wizard';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { DependencyList, useEffect, useState } from 'react';

type AsyncState<T> = { loading: boolean; value?: T; error?: Error };

function useAsync<T>(fn: () => Promise<T>, deps: DependencyList) {
  const [state, setState] = useState<AsyncState<T>>({ loading: true });
  useEffect(() => {
    let current = true;
    fn().then(
      value => current && setState({ loading: false, value }),
      error => current && setState({ loading: false, error }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

const PROVISION = '/create/templates/default/provision-sovereign';

type Task = {
  id: string;
  status: string;
  createdAt: string;
  spec?: { templateInfo?: { entity?: { metadata?: { title?: string } } } };
};

/** The Sovereigns owned by the signed-in user or their teams; every Sovereign when they own none. */
function useMySovereigns() {
  const catalog = useApi(catalogApiRef);
  const identity = useApi(identityApiRef);
  return useAsync(async () => {
    const { ownershipEntityRefs } = await identity.getBackstageIdentity();
    const { items } = await catalog.getEntities({
      filter: { kind: 'sovereign' },
    });
    const mine = items.filter(e =>
      (e.relations ?? []).some(
        r => r.type === 'ownedBy' && ownershipEntityRefs.includes(r.targetRef),
      ),
    );
    return { mine: mine.length > 0, items: mine.length > 0 ? mine : items };
  }, []);
}

/** The user's latest scaffolder tasks (provision, decommission, redeem …), newest first. */
function useRecentTasks() {
  const discovery = useApi(discoveryApiRef);
  const { fetch } = useApi(fetchApiRef);
  const identity = useApi(identityApiRef);
  return useAsync(async () => {
    const { userEntityRef } = await identity.getBackstageIdentity();
    const base = await discovery.getBaseUrl('scaffolder');
    const res = await fetch(
      `${base}/v2/tasks?createdBy=${encodeURIComponent(
        userEntityRef,
      )}&limit=5&order=desc:created_at`,
    );
    if (!res.ok) throw new Error(`The task list answered ${res.status}`);
    const body = await res.json();
    return (body.tasks ?? []) as Task[];
  }, []);
}

const sovereignColumns: TableColumn<Entity>[] = [
  {
    title: 'Sovereign',
    render: e => <EntityRefLink entityRef={e} defaultKind="sovereign" />,
  },
  {
    title: 'Phase',
    render: e => <SovereignPhaseChip phase={(e.spec as any)?.phase} />,
  },
  { title: 'FQDN', render: e => (e.spec as any)?.fqdn ?? '—' },
  { title: 'Organization', render: e => (e.spec as any)?.organization ?? '—' },
];

const taskColumns: TableColumn<Task>[] = [
  {
    title: 'Task',
    render: t => (
      <Link to={`/create/tasks/${t.id}`}>
        {t.spec?.templateInfo?.entity?.metadata?.title ?? t.id}
      </Link>
    ),
  },
  { title: 'Status', field: 'status' },
  {
    title: 'Started',
    render: t => new Date(t.createdAt).toLocaleString(),
  },
];

/** Catalyst's start page: the user's Sovereigns with their phase, the Provision button and recent tasks. */
export function CatalystHome() {
  const sovereigns = useMySovereigns();
  const tasks = useRecentTasks();
  return (
    <Content>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        mb={3}
      >
        <Box>
          <Typography variant="h3" component="h1">
            Catalyst
          </Typography>
          <Typography color="textSecondary">
            Provision and run Sovereigns: self-hosted clouds with their DNS,
            GitOps overlay and tenants.
          </Typography>
        </Box>
        <LinkButton variant="contained" color="primary" to={PROVISION}>
          Provision a Sovereign
        </LinkButton>
      </Box>
      <Grid container spacing={3}>
        <Grid item xs={12} md={7}>
          {sovereigns.error && <ResponseErrorPanel error={sovereigns.error} />}
          {sovereigns.loading && <Progress />}
          {sovereigns.value && (
            <Table<Entity>
              title={
                sovereigns.value.mine ? 'Your Sovereigns' : 'All Sovereigns'
              }
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={sovereignColumns}
              data={sovereigns.value.items}
              emptyContent={
                <Box p={2}>
                  <Typography>
                    No Sovereign yet.{' '}
                    <Link to={PROVISION}>Provision the first one</Link>.
                  </Typography>
                </Box>
              }
            />
          )}
        </Grid>
        <Grid item xs={12} md={5}>
          <InfoCard title="Your recent tasks" noPadding>
            {tasks.error && (
              <Box p={2}>
                <Typography color="error">{tasks.error.message}</Typography>
              </Box>
            )}
            {tasks.loading && <Progress />}
            {tasks.value && tasks.value.length === 0 && (
              <Box p={2}>
                <Typography color="textSecondary">
                  No tasks yet: provisioning, decommissioning and redeeming show
                  up here.
                </Typography>
              </Box>
            )}
            {tasks.value && tasks.value.length > 0 && (
              <Table<Task>
                options={{
                  paging: false,
                  search: false,
                  toolbar: false,
                  padding: 'dense',
                }}
                columns={taskColumns}
                data={tasks.value}
              />
            )}
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  );
}
