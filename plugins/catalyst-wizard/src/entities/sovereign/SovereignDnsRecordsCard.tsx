import Typography from '@material-ui/core/Typography';
import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { SovereignDnsRecord, sovereignSpec } from '../catalystEntities';
import { denseTableOptions } from '../tableOptions';

const columns: TableColumn<SovereignDnsRecord>[] = [
  { title: 'Name', field: 'name' },
  { title: 'Type', field: 'type', width: '90px' },
  { title: 'TTL', field: 'ttl', width: '90px', emptyValue: '—' },
  {
    title: 'Content',
    field: 'content',
    render: row => (
      <code style={{ wordBreak: 'break-all' }}>{row.content}</code>
    ),
  },
];

/** The records published for the Sovereign's zone. */
export function SovereignDnsRecordsCard() {
  const { entity } = useEntity();
  const records = sovereignSpec(entity).dnsRecords ?? [];
  if (records.length === 0) {
    return (
      <InfoCard title="DNS records">
        <Typography variant="body2" color="textSecondary">
          No DNS records have been published for this Sovereign yet.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <Table<SovereignDnsRecord>
      title="DNS records"
      options={denseTableOptions(records.length, 20, false)}
      columns={columns}
      data={records.map(r => ({ ...r }))}
    />
  );
}
