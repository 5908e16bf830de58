import { useEffect, useState } from 'react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  DecommissionImpact,
  remoteErrorOf,
  VouchersClient,
} from '@catalyst/plugin-catalyst-common';
import { wizardFormData } from '../wizardForm';

type Target = { ref: string; fqdn?: string; phase?: string };
type Impact = Pick<DecommissionImpact, 'organizations' | 'openVouchers'>;

function sovereignRefOf(formContext: unknown): string | undefined {
  const value = (wizardFormData(formContext) as Record<string, unknown>)
    .sovereign;
  return typeof value === 'string' && value ? value : undefined;
}

async function loadTarget(
  catalog: { getEntityByRef(ref: string): Promise<any> } | undefined,
  ref: string,
): Promise<Target> {
  const entity = catalog ? await catalog.getEntityByRef(ref) : undefined;
  const spec = (entity?.spec ?? {}) as { fqdn?: string; phase?: string };
  return { ref, fqdn: spec.fqdn, phase: spec.phase };
}

/** The typed confirmation is checked here, before the task starts: it must be the chosen Sovereign's FQDN. */
export function confirmationProblem(
  typed: string | undefined,
  target: Target | undefined,
): string | undefined {
  if (!target) return 'Choose the Sovereign first';
  if (!target.fqdn) return `${target.ref} has no FQDN in the catalog`;
  if (!typed?.trim()) return `Type ${target.fqdn} to confirm`;
  if (typed.trim().toLowerCase() !== target.fqdn) {
    return `“${typed.trim()}” is not ${
      target.fqdn
    }: type the Sovereign's FQDN exactly`;
  }
  return undefined;
}

/**
 * Confirmation of a decommission: names what it destroys and whom it affects (the Sovereign's organizations and
 * its open vouchers, which are revoked), and takes the typed FQDN.
 */
export const DecommissionConfirm = (
  props: FieldExtensionComponentProps<string>,
) => {
  const { formData, onChange, rawErrors, formContext, schema, idSchema } =
    props;
  const catalog = useApi(catalogApiRef);
  const discovery = useApi(discoveryApiRef);
  const { fetch } = useApi(fetchApiRef);
  const ref = sovereignRefOf(formContext);
  const [target, setTarget] = useState<Target>();
  const [impact, setImpact] = useState<Impact | { error: string }>();

  useEffect(() => {
    let current = true;
    setTarget(undefined);
    setImpact(undefined);
    if (!ref) return undefined;
    loadTarget(catalog, ref).then(t => {
      if (current) setTarget(t);
    });
    new VouchersClient({ discoveryApi: discovery, fetchApi: { fetch } })
      .decommissionImpact(ref)
      .then(
        value => current && setImpact(value),
        (e: Error) =>
          current &&
          setImpact({
            error: `Could not count its tenants (${
              remoteErrorOf(e)?.message || e.message
            })`,
          }),
      );
    return () => {
      current = false;
    };
  }, [ref, catalog, discovery, fetch]);

  const problem = formData ? confirmationProblem(formData, target) : undefined;
  let impactText: string | undefined;
  if (impact && 'error' in impact) impactText = impact.error;
  else if (impact) {
    const orgs = impact.organizations.length;
    impactText = `It affects ${orgs} organization${orgs === 1 ? '' : 's'}${
      orgs ? ` (${impact.organizations.join(', ')})` : ''
    }, whose apps stop with it, and revokes ${
      impact.openVouchers
    } open voucher${impact.openVouchers === 1 ? '' : 's'}.`;
  }

  return (
    <>
      {target?.fqdn && (
        <Alert
          severity="warning"
          style={{ marginBottom: 16 }}
          data-testid="decommission-impact"
        >
          <Typography variant="body2">
            Decommissioning {target.fqdn} destroys its machines, releases its
            domain and removes its Flux overlay. It cannot be undone.
          </Typography>
          {impactText && <Typography variant="body2">{impactText}</Typography>}
        </Alert>
      )}
      <TextField
        id={idSchema?.$id}
        label={schema.title ?? "Type the Sovereign's FQDN to confirm"}
        placeholder={target?.fqdn}
        value={formData ?? ''}
        onChange={e => onChange(e.target.value)}
        error={Boolean(problem) || Boolean(rawErrors?.length)}
        helperText={
          problem ??
          (target?.fqdn
            ? `Type ${target.fqdn} exactly`
            : 'Choose the Sovereign first')
        }
        fullWidth
        margin="normal"
        variant="outlined"
        inputProps={{ autoComplete: 'off', spellCheck: false }}
      />
    </>
  );
};

export const decommissionConfirmValidation: CustomFieldValidator<
  string
> = async (value, validation, { apiHolder, formData }) => {
  const ref = sovereignRefOf({ formData });
  const target = ref
    ? await loadTarget(apiHolder.get(catalogApiRef), ref)
    : undefined;
  const problem = confirmationProblem(value, target);
  if (problem) validation.addError(problem);
};
