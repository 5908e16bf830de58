import { useEffect, useMemo, useState } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useTemplateSecrets } from '@backstage/plugin-scaffolder-react';
import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
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
      <RadioGroup
        row
        aria-label="Domain mode"
        value={value.mode}
        onChange={e => setMode(e.target.value as DomainValue['mode'])}
      >
        <FormControlLabel
          value="pool"
          control={<Radio color="primary" />}
          label="Pool subdomain"
        />
        <FormControlLabel
          value="byo-manual"
          control={<Radio color="primary" />}
          label="My own domain (I set NS records)"
        />
        <FormControlLabel
          value="byo-api"
          control={<Radio color="primary" />}
          label="My own domain (Catalyst sets NS via registrar API)"
        />
      </RadioGroup>
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
            onChange={e => {
              setTouched(true);
              onChange({
                ...value,
                subdomain: normalizeSubdomain(e.target.value),
              });
            }}
            error={
              !!subdomainError ||
              availability.state === 'taken' ||
              availability.state === 'error'
            }
            helperText={subdomainHelper}
          />
          <TextField
            select
            id="domain-pool"
            label="Pool domain"
            value={value.poolDomain}
            onChange={e => onChange({ ...value, poolDomain: e.target.value })}
            style={{ minWidth: 200 }}
          >
            {pdm.managedDomains.map(d => (
              <MenuItem key={d} value={d}>
                {d}
              </MenuItem>
            ))}
          </TextField>
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
            setTouched(true);
            setRegistrarTokenValidated(value.registrar, value.byoDomain, false);
            onChange({
              ...value,
              byoDomain: e.target.value.trim().toLowerCase(),
            });
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
