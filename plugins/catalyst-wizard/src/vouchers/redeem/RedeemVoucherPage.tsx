import { useEffect, useState } from 'react';
import {
  Content,
  ErrorPanel,
  Header,
  InfoCard,
  LinkButton,
  Page,
  Progress,
} from '@backstage/core-components';
import {
  useAppLocation,
  useAppNavigate,
  useAppSearchParams,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { Grid, TextField, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { VoucherPreview } from '../VouchersApi';
import {
  endedReasons,
  formatCredit,
  formatExpiry,
  invalidReasonMessages,
} from '../voucherPresentation';
import { REDEEM_VOUCHER_TEMPLATE, scaffolderTemplateRouteRef } from '../routes';
import { useVoucherPreview } from './useVoucherPreview';
import { VOUCHER_CODE_HANDOVER_KEY } from '../../fields/VoucherCode';

/** Codes are compared upper-cased on every path (docs/vouchers.md). */
function normalizeCode(input: string): string {
  return input.trim().toUpperCase();
}

function RedeemAction(props: {
  code: string;
  sovereign?: string;
  preview: Extract<VoucherPreview, { valid: true }>;
}) {
  const { code, preview } = props;
  const templateRoute = useRouteRef(scaffolderTemplateRouteRef);
  const sovereign = preview.sovereign ?? props.sovereign;
  // The code never goes into the template's URL: the template's VoucherCode field takes it from this tab's session
  // storage once and keeps it in the task's secrets.
  // The template's Sovereign picker keeps `{ ref, fqdn }` and fills in the FQDN itself.
  const formData = JSON.stringify(
    sovereign ? { sovereign: { ref: sovereign } } : {},
  );
  const handOver = () => {
    try {
      window.sessionStorage.setItem(VOUCHER_CODE_HANDOVER_KEY, code);
    } catch {
      // Without session storage the person types the code into the template's form.
    }
  };
  return (
    <Alert severity="success">
      <AlertTitle>
        This voucher is worth {formatCredit(preview.credit)}
      </AlertTitle>
      <Typography variant="body2" paragraph>
        {preview.expiresAt
          ? `Redeem it before ${formatExpiry(preview.expiresAt)}.`
          : 'It does not expire.'}{' '}
        Redeeming creates your Organization, adds the credit to it and sets up
        your first App.
      </Typography>
      {templateRoute ? (
        <LinkButton
          color="primary"
          variant="contained"
          to={`${templateRoute(
            REDEEM_VOUCHER_TEMPLATE,
          )}?formData=${encodeURIComponent(formData)}`}
          onClick={handOver}
        >
          Redeem
        </LinkButton>
      ) : (
        <Typography variant="body2" color="error">
          Redeeming needs the software templates page, which this portal does
          not have. Ask the portal's administrators to install it.
        </Typography>
      )}
    </Alert>
  );
}

function PreviewResult(props: {
  code: string;
  sovereign?: string;
  state: ReturnType<typeof useVoucherPreview>;
}) {
  const { state } = props;
  switch (state.status) {
    case 'missing':
      return (
        <Typography color="textSecondary">
          Enter the code from your voucher, for example SPRING-LAUNCH-100 or
          ABCD-EFGH-JKMN-PQRS-T. Letters may be typed in either case.
        </Typography>
      );
    case 'loading':
      return (
        <>
          <Typography color="textSecondary">Checking the code…</Typography>
          <Progress />
        </>
      );
    case 'error':
      return (
        <ErrorPanel title="The code could not be checked" error={state.error} />
      );
    default:
  }
  const { preview, code } = state;
  if (preview.valid) {
    return (
      <RedeemAction code={code} sovereign={props.sovereign} preview={preview} />
    );
  }
  if (preview.reason === 'rate-limited') {
    return (
      <Alert severity="warning">
        {invalidReasonMessages['rate-limited']}
        {preview.retryAfterSeconds
          ? ` Retry in ${preview.retryAfterSeconds} seconds.`
          : ''}
      </Alert>
    );
  }
  if (endedReasons.includes(preview.reason)) {
    return (
      <Alert severity="warning">
        <AlertTitle>This voucher can no longer be redeemed</AlertTitle>
        {invalidReasonMessages[preview.reason]}
      </Alert>
    );
  }
  return (
    <Alert severity="error">
      <AlertTitle>This code is not valid</AlertTitle>
      {invalidReasonMessages[preview.reason]}
    </Alert>
  );
}

/** The code a voucher link carries in its fragment (`#code=…`), which the browser never sends to a server. */
function fragmentCode(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get('code');
}

/**
 * `/vouchers/redeem#code=...`: checks a voucher code and hands it to the "Redeem a voucher" template, which
 * redeems it, creates the Organization and its first App in one server-side run. The page itself never redeems.
 */
export function RedeemVoucherPage() {
  const [searchParams] = useAppSearchParams();
  const location = useAppLocation();
  const navigate = useAppNavigate();
  // A voucher link carries its code in the fragment, so it never reaches a server (or its access log). The code
  // is read once and then removed from the address bar by replacing the history entry, so it does not stay in the
  // browser's history, bookmarks or on a shared screen. A code in the query (`?code=`) is taken the same way.
  const [linkCode] = useState(() =>
    normalizeCode(
      fragmentCode(location.hash) ?? searchParams.get('code') ?? '',
    ),
  );
  useEffect(() => {
    if (searchParams.has('code') || fragmentCode(location.hash) !== null) {
      const next = new URLSearchParams(searchParams);
      next.delete('code');
      const search = next.toString();
      navigate(`${location.pathname}${search ? `?${search}` : ''}`, {
        replace: true,
      });
    }
  }, [searchParams, location.hash, location.pathname, navigate]);
  const sovereign = searchParams.get('sovereign') || undefined;
  const [typed, setTyped] = useState<string>();
  const code = typed === undefined ? linkCode : normalizeCode(typed);
  const preview = useVoucherPreview(code, sovereign, {
    immediate: typed === undefined,
  });

  return (
    <Page themeId="tool">
      <Header
        title="Redeem a voucher"
        subtitle="Turn a voucher code into credit for your new Organization"
      />
      <Content>
        <Grid container>
          <Grid item xs={12} md={8} lg={6}>
            <InfoCard title="Your voucher">
              <TextField
                id="voucher-code"
                label="Voucher code"
                value={typed ?? linkCode}
                onChange={e => setTyped(e.target.value)}
                fullWidth
                variant="outlined"
                margin="normal"
                autoComplete="off"
                inputProps={{
                  spellCheck: false,
                  style: { textTransform: 'uppercase' },
                }}
              />
              <PreviewResult
                code={code}
                sovereign={sovereign}
                state={preview}
              />
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
