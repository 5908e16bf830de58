import { Table, TableColumn } from '@backstage/core-components';
import { Button, Chip, Tooltip } from '@material-ui/core';
import type { Voucher, VoucherState } from '../VouchersApi';
import {
  formatCredit,
  formatExpiry,
  formatRedemptions,
  formatTimestamp,
  voucherStateLabels,
} from '../voucherPresentation';

const stateColors: Record<VoucherState, 'primary' | 'default' | 'secondary'> = {
  active: 'primary',
  deactivated: 'default',
  exhausted: 'default',
  expired: 'default',
  revoked: 'secondary',
};

/** `user:default/amal` → `amal`: the issuer as a person reads it. */
function issuerName(ref: string): string {
  return ref.replace(/^user:(default\/)?/, '');
}

/** `••••-••••-•XQT-W` → `XQT-W`: the characters of a masked code that are shown. */
export function codeTail(masked: string): string {
  return masked.replace(/^[^A-Za-z0-9]*/, '').replace(/^.*•/, '') || masked;
}

const REVOCABLE_STATES: VoucherState[] = ['active', 'deactivated'];

export interface VoucherTableProps {
  vouchers: Voucher[];
  onRevoke: (voucher: Voucher) => void;
}

/** A Sovereign's vouchers, newest first as the backend lists them. */
export function VoucherTable(props: VoucherTableProps) {
  const { vouchers, onRevoke } = props;
  const columns: TableColumn<Voucher>[] = [
    {
      title: 'Code',
      field: 'codeMasked',
      // Only the visible tail: the masked part says nothing and would take a fifth of the table.
      render: v => (
        <Tooltip title={`Code ending in ${codeTail(v.codeMasked)}`}>
          <code style={{ whiteSpace: 'nowrap' }}>
            …{codeTail(v.codeMasked)}
          </code>
        </Tooltip>
      ),
    },
    {
      title: 'Status',
      field: 'state',
      render: v => (
        <Chip
          size="small"
          label={voucherStateLabels[v.state] ?? v.state}
          color={stateColors[v.state] ?? 'default'}
          variant={v.state === 'active' ? 'default' : 'outlined'}
        />
      ),
    },
    {
      title: 'Credit',
      field: 'credit.amount',
      render: v => formatCredit(v.credit),
    },
    {
      title: 'Redeemed',
      field: 'timesRedeemed',
      render: v => (
        <Tooltip
          title={
            v.maxRedemptions > 0
              ? `${v.timesRedeemed} of ${v.maxRedemptions} redemptions used`
              : `${v.timesRedeemed} redemptions, no limit`
          }
        >
          <span>{formatRedemptions(v.timesRedeemed, v.maxRedemptions)}</span>
        </Tooltip>
      ),
    },
    {
      title: 'Expires',
      field: 'expiresAt',
      render: v => formatExpiry(v.expiresAt),
    },
    { title: 'Description', field: 'description' },
    {
      title: 'Issued',
      field: 'createdAt',
      render: v => (
        <>
          <span style={{ whiteSpace: 'nowrap' }}>
            {formatTimestamp(v.createdAt)}
          </span>
          <br />
          by {issuerName(v.issuedBy)}
        </>
      ),
    },
    {
      title: 'Actions',
      sorting: false,
      hidden: !vouchers.some(v => REVOCABLE_STATES.includes(v.state)),
      // Only a code that can still be redeemed (or switched back on) has anything to revoke: a used-up,
      // expired or revoked code shows none.
      render: v =>
        !REVOCABLE_STATES.includes(v.state) ? null : (
          <Button
            size="small"
            color="secondary"
            variant="outlined"
            style={{ whiteSpace: 'nowrap' }}
            onClick={() => onRevoke(v)}
            aria-label={`Revoke voucher ${v.codeMasked}`}
          >
            Revoke
          </Button>
        ),
    },
  ];
  return (
    <Table<Voucher>
      title="Vouchers"
      options={{ paging: vouchers.length > 20, pageSize: 20, search: true }}
      columns={columns}
      data={vouchers}
    />
  );
}
