import { useCallback, useEffect, useState } from 'react';
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
import {
  identityApiRef,
  useApi,
  useApiHolder,
} from '@backstage/core-plugin-api';
import {
  useAppSearchParams,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
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

function sovereignLabel(ref: string, fqdn?: string): string {
  if (fqdn) return fqdn;
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** Where the page remembers the Sovereign last shown (besides the address bar's `?sovereign=`). */
export const VOUCHERS_SOVEREIGN_STORAGE_KEY = 'catalyst.vouchers.sovereign';

type AdministeredSovereign = { ref: string; fqdn?: string; owner?: string };

/**
 * The Sovereign the page opens on: the one in the address bar, else the one last chosen in this browser, else
 * the first the user's own groups own (a platform admin administers every Sovereign, most of them other
 * teams'), else the first.
 */
export function defaultSovereign(
  choices: AdministeredSovereign[],
  options: { fromUrl?: string; remembered?: string; ownership: string[] },
): string | undefined {
  const known = (ref?: string) =>
    ref && choices.some(c => c.ref === ref) ? ref : undefined;
  const own = choices.find(c => c.owner && options.ownership.includes(c.owner));
  return (
    known(options.fromUrl) ??
    known(options.remembered) ??
    own?.ref ??
    choices[0]?.ref
  );
}

function normalizedRef(ref: string | undefined, kind: string) {
  if (!ref) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: kind, defaultNamespace: 'default' }),
    );
  } catch {
    return undefined;
  }
}

function readRemembered(): string | undefined {
  try {
    return (
      window.localStorage.getItem(VOUCHERS_SOVEREIGN_STORAGE_KEY) ?? undefined
    );
  } catch {
    return undefined;
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

function SovereignVouchers(props: { sovereign: string; fqdn?: string }) {
  const { sovereign, fqdn } = props;
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

  // The code goes in the fragment: a browser never sends it to a server, so it reaches no access log.
  const redeemLink = (code: string) =>
    `${window.location.origin}${
      redeemRoute?.() ?? '/vouchers/redeem'
    }?${new URLSearchParams({ sovereign })}#${new URLSearchParams({ code })}`;

  let body;
  if (vouchers.loading) {
    body = <Progress />;
  } else if (vouchers.error) {
    body = (
      <ErrorPanel
        title={`Could not list the vouchers of ${sovereignLabel(
          sovereign,
          fqdn,
        )}`}
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
      <ContentHeader title={`Vouchers of ${sovereignLabel(sovereign, fqdn)}`}>
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
  const apis = useApiHolder();
  const [searchParams, setSearchParams] = useAppSearchParams();
  const sovereigns = useAsyncValue(async () => {
    const refs = await vouchersApi.listAdministeredSovereigns();
    // Their FQDN and owner from the catalog, when the portal has one: the label and the default choice.
    const catalog = apis.get(catalogApiRef);
    const identity = apis.get(identityApiRef);
    const [entities, ownership] = await Promise.all([
      catalog && refs.length
        ? catalog
            .getEntitiesByRefs({ entityRefs: refs })
            .then(r => r.items)
            .catch(() => [])
        : Promise.resolve([]),
      identity
        ? identity
            .getBackstageIdentity()
            .then(i => i.ownershipEntityRefs)
            .catch(() => [] as string[])
        : Promise.resolve([] as string[]),
    ]);
    const choices: AdministeredSovereign[] = refs.map((ref, i) => {
      const spec = (entities[i]?.spec ?? {}) as {
        fqdn?: string;
        owner?: string;
      };
      return {
        ref,
        fqdn: spec.fqdn,
        owner: normalizedRef(spec.owner, 'group'),
      };
    });
    return { choices, ownership };
  }, [vouchersApi, apis]);
  const choices = sovereigns.value?.choices ?? [];
  const selected = sovereigns.value
    ? defaultSovereign(choices, {
        fromUrl: searchParams.get('sovereign') ?? undefined,
        remembered: readRemembered(),
        ownership: sovereigns.value.ownership,
      })
    : undefined;
  // The choice stays in the address bar (a link or reload opens the same Sovereign) and in this browser.
  useEffect(() => {
    if (!selected) return;
    try {
      window.localStorage.setItem(VOUCHERS_SOVEREIGN_STORAGE_KEY, selected);
    } catch {
      // No storage: the address bar still remembers it.
    }
    if (searchParams.get('sovereign') !== selected) {
      setSearchParams(
        previous => {
          const next = new URLSearchParams(previous);
          next.set('sovereign', selected);
          return next;
        },
        { replace: true },
      );
    }
  }, [selected, searchParams, setSearchParams]);
  const pick = (ref: string) =>
    setSearchParams(previous => {
      const next = new URLSearchParams(previous);
      next.set('sovereign', ref);
      return next;
    });
  const selectedChoice = choices.find(c => c.ref === selected);

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
              onChange={e => pick(e.target.value as string)}
            >
              {choices.map(choice => (
                <MenuItem key={choice.ref} value={choice.ref}>
                  {sovereignLabel(choice.ref, choice.fqdn)}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        )}
        {selected && (
          <SovereignVouchers
            key={selected}
            sovereign={selected}
            fqdn={selectedChoice?.fqdn}
          />
        )}
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
