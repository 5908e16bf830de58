import { useCallback, useState } from 'react';
import {
  Content,
  ContentHeader,
  EmptyState,
  ErrorPanel,
  Header,
  InfoCard,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  Button,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  Typography,
} from '@material-ui/core';
import { useAsyncValue } from '../../entities/useAsyncValue';
import { IssuedVoucher, Voucher, vouchersApiRef } from '../VouchersApi';
import { redeemVoucherRouteRef } from '../routes';
import { IssueVouchersDialog } from './IssueVouchersDialog';
import { IssuedCodesDialog } from './IssuedCodesDialog';
import { RevokeVoucherDialog } from './RevokeVoucherDialog';
import { VoucherTable } from './VoucherTable';

function sovereignLabel(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** Explains vouchers to an admin who has not issued any yet. */
function NoVouchers(props: { onIssue: () => void }) {
  return (
    <EmptyState
      missing="content"
      title="No vouchers yet"
      description={
        <>
          <Typography component="span" display="block" paragraph>
            A voucher is a code worth billing credit on this Sovereign. Share it
            with a prospective tenant: redeeming it creates their Organization,
            grants the credit and starts their first App.
          </Typography>
          <Typography component="span" display="block" paragraph>
            Issuing is free: no money moves until a tenant spends the credit,
            and the credit comes out of your share. Codes are shown once, at
            issue time, so copy them before closing the dialog.
          </Typography>
        </>
      }
      action={
        <Button color="primary" variant="contained" onClick={props.onIssue}>
          Issue vouchers
        </Button>
      }
    />
  );
}

function SovereignVouchers(props: { sovereign: string }) {
  const { sovereign } = props;
  const vouchersApi = useApi(vouchersApiRef);
  const redeemRoute = useRouteRef(redeemVoucherRouteRef);
  const [reloads, setReloads] = useState(0);
  const [issueOpen, setIssueOpen] = useState(false);
  const [issued, setIssued] = useState<IssuedVoucher[]>([]);
  const [revoking, setRevoking] = useState<Voucher>();
  const vouchers = useAsyncValue(
    () => vouchersApi.listVouchers(sovereign),
    [vouchersApi, sovereign, reloads],
  );
  const reload = useCallback(() => setReloads(n => n + 1), []);

  const redeemLink = (code: string) => {
    const params = new URLSearchParams({ code, sovereign });
    return `${window.location.origin}${
      redeemRoute?.() ?? '/vouchers/redeem'
    }?${params}`;
  };

  let body;
  if (vouchers.loading) {
    body = <Progress />;
  } else if (vouchers.error) {
    body = (
      <ErrorPanel
        title={`Could not list the vouchers of ${sovereignLabel(sovereign)}`}
        error={vouchers.error}
      />
    );
  } else if (vouchers.value.length === 0) {
    body = <NoVouchers onIssue={() => setIssueOpen(true)} />;
  } else {
    body = <VoucherTable vouchers={vouchers.value} onRevoke={setRevoking} />;
  }

  return (
    <>
      <ContentHeader title={`Vouchers of ${sovereignLabel(sovereign)}`}>
        <Button
          color="primary"
          variant="contained"
          onClick={() => setIssueOpen(true)}
        >
          Issue vouchers
        </Button>
      </ContentHeader>
      {body}
      <IssueVouchersDialog
        open={issueOpen}
        sovereign={sovereign}
        onClose={() => setIssueOpen(false)}
        onIssued={fresh => {
          setIssueOpen(false);
          setIssued(fresh);
          reload();
        }}
      />
      <IssuedCodesDialog
        vouchers={issued}
        redeemLink={redeemLink}
        onClose={() => setIssued([])}
      />
      <RevokeVoucherDialog
        voucher={revoking}
        onClose={() => setRevoking(undefined)}
        onRevoked={() => {
          setRevoking(undefined);
          reload();
        }}
      />
    </>
  );
}

/** `/vouchers`: issue, list and revoke the vouchers of the Sovereigns the user administers. */
export function VouchersAdminPage() {
  const vouchersApi = useApi(vouchersApiRef);
  const sovereigns = useAsyncValue(
    () => vouchersApi.listAdministeredSovereigns(),
    [vouchersApi],
  );
  const [picked, setPicked] = useState<string>();
  const choices = sovereigns.value ?? [];
  // The first Sovereign is shown until the user picks another.
  const selected = picked ?? choices[0];

  let content;
  if (sovereigns.loading) {
    content = <Progress />;
  } else if (sovereigns.error) {
    content = (
      <ErrorPanel
        title="Could not find the Sovereigns you administer"
        error={sovereigns.error}
      />
    );
  } else if (choices.length === 0) {
    content = (
      <InfoCard title="No Sovereign to administer">
        <Typography paragraph>
          Vouchers belong to one Sovereign and are issued by its administrators.
          You do not administer any Sovereign yet.
        </Typography>
        <Typography>
          Ask the owner of a Sovereign to add you to its owning group, or
          provision a Sovereign of your own.
        </Typography>
      </InfoCard>
    );
  } else {
    content = (
      <>
        {choices.length > 1 && (
          <FormControl
            variant="outlined"
            margin="dense"
            style={{ minWidth: 320 }}
          >
            <InputLabel id="voucher-sovereign-label">Sovereign</InputLabel>
            <Select
              labelId="voucher-sovereign-label"
              label="Sovereign"
              value={selected ?? ''}
              onChange={e => setPicked(e.target.value as string)}
            >
              {choices.map(ref => (
                <MenuItem key={ref} value={ref}>
                  {sovereignLabel(ref)}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        )}
        {selected && <SovereignVouchers key={selected} sovereign={selected} />}
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Vouchers"
        subtitle="Billing-credit codes that bring new tenants to your Sovereigns"
      />
      <Content>{content}</Content>
    </Page>
  );
}
