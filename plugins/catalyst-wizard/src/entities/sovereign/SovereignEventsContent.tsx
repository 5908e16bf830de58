import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { SovereignEvent, useSovereignEvents } from '../catalystRegistry';
import { denseTableOptions } from '../tableOptions';

function Level(props: { level: string }) {
  switch (props.level) {
    case 'error':
      return <StatusError>error</StatusError>;
    case 'warn':
      return <StatusWarning>warn</StatusWarning>;
    default:
      return <StatusOK>{props.level}</StatusOK>;
  }
}

const columns: TableColumn<SovereignEvent>[] = [
  {
    title: 'Time',
    field: 'time',
    width: '200px',
    render: row => (
      <time dateTime={row.time} title={row.time}>
        {new Date(row.time).toLocaleString()}
      </time>
    ),
  },
  {
    title: 'Level',
    field: 'level',
    width: '110px',
    render: row => <Level level={row.level} />,
  },
  { title: 'Phase', field: 'phase', width: '160px' },
  { title: 'Message', field: 'message' },
];

/** The Sovereign's full event history from the Catalyst registry, newest first. */
export function SovereignEventsContent() {
  const { entity } = useEntity();
  const history = useSovereignEvents(entity.metadata.name);
  if (history.loading) return <Progress />;
  if (history.error) return <ResponseErrorPanel error={history.error} />;
  if (!history.value.found) {
    return (
      <InfoCard title="Events">
        <Typography variant="body2" color="textSecondary">
          {history.value.forbidden
            ? "Only members of this Sovereign's owning group and platform admins may read its events."
            : 'The Catalyst registry keeps no event history for this Sovereign.'}
        </Typography>
      </InfoCard>
    );
  }
  const events = [...history.value.events].sort(
    (a, b) => Date.parse(b.time) - Date.parse(a.time),
  );
  return (
    <Table<SovereignEvent>
      title={`Events (${events.length})`}
      options={denseTableOptions(events.length, 50, true)}
      columns={columns}
      data={events}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No events recorded yet.
        </Typography>
      }
    />
  );
}
