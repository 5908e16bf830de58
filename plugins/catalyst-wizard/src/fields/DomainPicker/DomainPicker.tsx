import { useEffect, useMemo, useState } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useTemplateSecrets } from '@backstage/plugin-scaffolder-react';
import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  checkDomainName,
  normalizeDomainInput,
} from '@catalyst/plugin-catalyst-common';
import { catalystApiRef, type PdmInfo } from '../../api';
import { CATALYST_FIELD, useOwnErrorMessages } from '../errorSummary';
import { useFieldErrors } from '../useFieldErrors';
import { REGISTRAR_TOKEN_SECRET, type DomainValue } from '../wizardForm';
import { ChoiceRadios } from '../parts/ChoiceRadios';
import { SelectField } from '../parts/SelectField';
import { NameserverList } from './NameserverList';
import { RegistrarTokenFields } from './RegistrarTokenFields';
import {
  availabilityText,
  useSubdomainAvailability,
} from './useSubdomainAvailability';
import {
  domainErrors,
  domainFqdn,
  normalizeSubdomain,
  setRegistrarTokenValidated,
  subdomainFormatError,
} from './validation';

/** PDM's pool domains, nameservers and registrars, or why they could not be read. */
function usePdmInfo() {
  const catalystApi = useApi(catalystApiRef);
  const [pdm, setPdm] = useState<PdmInfo | undefined>();
  const [pdmError, setPdmError] = useState<string | undefined>();
  useEffect(() => {
    catalystApi.getPdmInfo().then(setPdm, e => setPdmError(e.message));
  }, [catalystApi]);
  return { pdm, pdmError };
}

const DOMAIN_MODE_CHOICES: ReadonlyArray<{
  value: DomainValue['mode'];
  label: string;
}> = [
  { value: 'pool', label: 'Pool subdomain' },
  { value: 'byo-manual', label: 'My own domain (I set NS records)' },
  {
    value: 'byo-api',
    label: 'My own domain (Catalyst sets NS via registrar API)',
  },
];

/** The Domain page: a pool subdomain or the user's own domain, with NS records or a registrar token. */
export const DomainPicker = (
  props: FieldExtensionComponentProps<DomainValue>,
) => {
  const { formData, onChange, rawErrors, schema } = props;
  useOwnErrorMessages();
  const catalystApi = useApi(catalystApiRef);
  const { setSecrets } = useTemplateSecrets();
  const { pdm, pdmError } = usePdmInfo();
  const [touched, setTouched] = useState(false);

  const value: DomainValue = useMemo(
    () => ({
      mode: formData?.mode ?? 'pool',
      poolDomain: formData?.poolDomain ?? '',
      subdomain: formData?.subdomain ?? '',
      byoDomain: formData?.byoDomain ?? '',
      registrar: formData?.registrar ?? '',
    }),
    [formData],
  );
  const availability = useSubdomainAvailability(catalystApi, value);

  // Store the value at once (so Next runs the domain rule, not the JSON-schema text for a missing property), with
  // the first pool domain PDM manages when none is chosen yet (never a hard-coded list).
  useEffect(() => {
    if (!formData) onChange(value);
    else if (
      pdm &&
      !formData.poolDomain &&
      value.mode === 'pool' &&
      pdm.managedDomains[0]
    ) {
      onChange({ ...value, poolDomain: pdm.managedDomains[0] });
    }
  }, [pdm, formData, value, onChange]);

  const setMode = (mode: DomainValue['mode']) => {
    // Switching clears what no longer applies (docs/wizard.md §6).
    setRegistrarTokenValidated(value.registrar, value.byoDomain, false);
    if (mode !== 'byo-api') setSecrets({ [REGISTRAR_TOKEN_SECRET]: '' });
    if (mode === 'pool') {
      onChange({ ...value, mode, byoDomain: '', registrar: '' });
    } else if (mode === 'byo-manual') {
      onChange({ ...value, mode, subdomain: '', registrar: '' });
    } else {
      onChange({ ...value, mode, subdomain: '' });
    }
    setTouched(false);
  };

  /** A typed change: from now on the box shows its own problems. */
  const edit = (patch: Partial<DomainValue>) => {
    setTouched(true);
    onChange({ ...value, ...patch });
  };

  const subdomainError = touched
    ? subdomainFormatError(value.subdomain)
    : undefined;
  const byoProblem = checkDomainName(normalizeDomainInput(value.byoDomain));
  const byoError =
    touched && byoProblem ? `The domain ${byoProblem}` : undefined;
  const fqdn = domainFqdn(value);
  // Only a name that could exist is previewed: never `console.-bad.<pool>`.
  const fqdnValid =
    !!fqdn &&
    (value.mode === 'pool'
      ? !subdomainFormatError(value.subdomain)
      : !byoProblem);
  const subdomainHelper =
    subdomainError ?? availabilityText(availability, fqdn);
  // What the boxes already say under themselves is not listed again below them.
  const errors = useFieldErrors(value, rawErrors, domainErrors(value)).filter(
    e =>
      e !== subdomainHelper &&
      e !== byoError &&
      !(value.mode === 'pool' && e === subdomainFormatError(value.subdomain)),
  );

  return (
    <Box {...CATALYST_FIELD}>
      <Typography variant="h6">{schema.title ?? 'Domain'}</Typography>
      <ChoiceRadios
        label="Domain mode"
        value={value.mode}
        choices={DOMAIN_MODE_CHOICES}
        onChange={setMode}
      />
      {!pdm && !pdmError && <Progress />}
      {pdmError && (
        <Alert severity="error">
          The pool domain manager could not be reached: {pdmError}
        </Alert>
      )}

      {value.mode === 'pool' && pdm && (
        <Box display="flex" style={{ gap: 16 }} alignItems="flex-start">
          <TextField
            id="domain-subdomain"
            label="Subdomain"
            placeholder="acme-prod"
            value={value.subdomain}
            onChange={e =>
              edit({ subdomain: normalizeSubdomain(e.target.value) })
            }
            error={
              !!subdomainError ||
              availability.state === 'taken' ||
              availability.state === 'error'
            }
            helperText={subdomainHelper}
          />
          <SelectField
            layout="inline"
            id="domain-pool"
            label="Pool domain"
            value={value.poolDomain}
            onChange={poolDomain => onChange({ ...value, poolDomain })}
            options={pdm.managedDomains.map(d => ({ value: d, label: d }))}
            style={{ minWidth: 200 }}
          />
        </Box>
      )}

      {value.mode !== 'pool' && (
        <TextField
          fullWidth
          id="domain-byo"
          label="Your domain"
          placeholder="sovereign.example.com"
          value={value.byoDomain}
          onChange={e => {
            setRegistrarTokenValidated(value.registrar, value.byoDomain, false);
            edit({ byoDomain: e.target.value.trim().toLowerCase() });
          }}
          error={!!byoError}
          helperText={byoError ?? 'At least two labels, e.g. example.com'}
        />
      )}

      {value.mode === 'byo-manual' && (
        <NameserverList fqdn={fqdn} nameservers={pdm?.nameservers ?? []} />
      )}

      {value.mode === 'byo-api' && (
        <RegistrarTokenFields
          catalystApi={catalystApi}
          value={value}
          registrars={pdm?.registrars ?? []}
          onRegistrar={registrar => onChange({ ...value, registrar })}
        />
      )}
      {fqdnValid && (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          Console: console.{fqdn}
        </Typography>
      )}
      {errors.map(e => (
        <FormHelperText error key={e}>
          {e}
        </FormHelperText>
      ))}
    </Box>
  );
};
