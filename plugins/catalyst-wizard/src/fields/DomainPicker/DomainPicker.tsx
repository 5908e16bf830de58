import { useEffect, useMemo, useState } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useTemplateSecrets } from '@backstage/plugin-scaffolder-react';
import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import FileCopyIcon from '@material-ui/icons/FileCopy';
import { Alert } from '@material-ui/lab';
import {
  checkDomainName,
  normalizeDomainInput,
} from '@catalyst/plugin-catalyst-common';
import { catalystApiRef, type PdmInfo, type RegistrarCheck } from '../../api';
import { REGISTRAR_TOKEN_SECRET, type DomainValue } from '../wizardForm';
import {
  REGISTRAR_TOKEN_HINTS,
  availabilityMessage,
  domainFqdn,
  isRegistrarTokenValidated,
  normalizeSubdomain,
  setRegistrarTokenValidated,
  subdomainFormatError,
} from './validation';

const DEBOUNCE_MS = 400;

type Availability =
  | { state: 'idle' | 'invalid' | 'checking' }
  | { state: 'available' }
  | { state: 'taken' | 'error'; message: string };

const REGISTRAR_ERROR_TEXT: Record<string, string> = {
  'invalid-token': 'The registrar rejected the token',
  'rate-limited':
    'The registrar is rate-limiting requests; try again in a minute',
  'domain-not-in-account': 'The domain is not in this registrar account',
  'api-unavailable': 'The registrar API is unavailable',
  'unsupported-registrar': 'PDM has no adapter for this registrar',
};

function availabilityText(availability: Availability, fqdn: string): string {
  switch (availability.state) {
    case 'checking':
      return 'Checking availability…';
    case 'available':
      return `✓ ${fqdn} is available`;
    case 'taken':
    case 'error':
      return availability.message;
    default:
      return 'Lower-case letters, digits and hyphens; starts with a letter';
  }
}

export const DomainPicker = (
  props: FieldExtensionComponentProps<DomainValue>,
) => {
  const { formData, onChange, rawErrors, schema } = props;
  const catalystApi = useApi(catalystApiRef);
  const { secrets, setSecrets } = useTemplateSecrets();
  const [pdm, setPdm] = useState<PdmInfo | undefined>();
  const [pdmError, setPdmError] = useState<string | undefined>();
  const [availability, setAvailability] = useState<Availability>({
    state: 'idle',
  });
  const [token, setToken] = useState(secrets[REGISTRAR_TOKEN_SECRET] ?? '');
  const [tokenCheck, setTokenCheck] = useState<RegistrarCheck | undefined>();
  const [checkingToken, setCheckingToken] = useState(false);
  const [touched, setTouched] = useState(false);
  const [copied, setCopied] = useState<string | undefined>();

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

  useEffect(() => {
    catalystApi.getPdmInfo().then(setPdm, e => setPdmError(e.message));
  }, [catalystApi]);

  // Pick the first pool domain PDM manages when none is chosen yet (never a hard-coded list).
  useEffect(() => {
    if (
      pdm &&
      !formData?.poolDomain &&
      value.mode === 'pool' &&
      pdm.managedDomains[0]
    ) {
      onChange({ ...value, poolDomain: pdm.managedDomains[0] });
    }
  }, [pdm, formData, value, onChange]);

  // Live availability, debounced so typing does not flood PDM.
  useEffect(() => {
    if (value.mode !== 'pool' || !value.poolDomain) return undefined;
    if (!value.subdomain || subdomainFormatError(value.subdomain)) {
      setAvailability({ state: value.subdomain ? 'invalid' : 'idle' });
      return undefined;
    }
    setAvailability({ state: 'checking' });
    const controller = new AbortController();
    const timer = setTimeout(() => {
      catalystApi
        .checkSubdomain(value.poolDomain, value.subdomain, controller.signal)
        .then(result => {
          if (controller.signal.aborted) return;
          const message = availabilityMessage(domainFqdn(value), result);
          if (!message) setAvailability({ state: 'available' });
          else
            setAvailability({
              state: result.reason === 'pdm-unavailable' ? 'error' : 'taken',
              message,
            });
        })
        .catch(e => {
          if (!controller.signal.aborted) {
            setAvailability({
              state: 'error',
              message: `Could not check availability: ${e.message}`,
            });
          }
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalystApi, value.mode, value.poolDomain, value.subdomain]);

  const clearToken = () => {
    setToken('');
    setTokenCheck(undefined);
    setSecrets({ [REGISTRAR_TOKEN_SECRET]: '' });
    setRegistrarTokenValidated(value.registrar, value.byoDomain, false);
  };

  const setMode = (mode: DomainValue['mode']) => {
    // Switching clears what no longer applies (wizard.md §6).
    if (mode === 'pool') {
      onChange({ ...value, mode, byoDomain: '', registrar: '' });
      clearToken();
    } else if (mode === 'byo-manual') {
      onChange({ ...value, mode, subdomain: '', registrar: '' });
      clearToken();
    } else {
      onChange({ ...value, mode, subdomain: '' });
      setRegistrarTokenValidated(value.registrar, value.byoDomain, false);
      setTokenCheck(undefined);
    }
    setTouched(false);
  };

  const validateToken = async () => {
    setCheckingToken(true);
    try {
      const result = await catalystApi.validateRegistrarToken(
        value.registrar,
        normalizeDomainInput(value.byoDomain),
        token.trim(),
      );
      setTokenCheck(result);
      setRegistrarTokenValidated(
        value.registrar,
        value.byoDomain,
        result.valid,
      );
    } finally {
      setCheckingToken(false);
    }
  };

  const copy = (text: string) => {
    window.navigator.clipboard?.writeText(text);
    setCopied(text);
  };

  const subdomainError = touched
    ? subdomainFormatError(value.subdomain)
    : undefined;
  const byoError = touched
    ? checkDomainName(normalizeDomainInput(value.byoDomain))
    : undefined;
  const fqdn = domainFqdn(value);
  const nameservers = pdm?.nameservers ?? [];
  const registrars = pdm?.registrars ?? [];
  const tokenValidated =
    value.mode === 'byo-api' &&
    isRegistrarTokenValidated(value.registrar, value.byoDomain);

  return (
    <Box>
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
            placeholder="omantel-prod"
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
            helperText={subdomainError ?? availabilityText(availability, fqdn)}
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
            setTokenCheck(undefined);
            onChange({
              ...value,
              byoDomain: e.target.value.trim().toLowerCase(),
            });
          }}
          error={!!byoError}
          helperText={
            byoError
              ? `The domain ${byoError}`
              : 'At least two labels, e.g. example.com'
          }
        />
      )}

      {value.mode === 'byo-manual' && (
        <Box mt={2}>
          <Typography variant="subtitle2">
            Set these NS records at your registrar for {fqdn || 'your domain'}:
          </Typography>
          {nameservers.length ? (
            <List dense>
              {nameservers.map(ns => (
                <ListItem key={ns}>
                  <ListItemText primary={`NS ${ns}`} />
                  <IconButton
                    aria-label={`Copy ${ns}`}
                    onClick={() => copy(ns)}
                  >
                    <FileCopyIcon fontSize="small" />
                  </IconButton>
                </ListItem>
              ))}
            </List>
          ) : (
            <Alert severity="warning">
              PDM did not report its nameservers; ask your platform team.
            </Alert>
          )}
          {copied && (
            <Typography variant="caption" role="status">
              Copied {copied}
            </Typography>
          )}
          <Typography variant="body2" color="textSecondary">
            Propagation typically takes 1–4 hours and up to 48 hours. TLS
            certificates are issued by Let's Encrypt once the delegation is
            visible.
          </Typography>
        </Box>
      )}

      {value.mode === 'byo-api' && (
        <Box mt={2}>
          <TextField
            select
            fullWidth
            id="domain-registrar"
            label="Registrar"
            value={value.registrar}
            onChange={e => {
              clearToken();
              onChange({ ...value, registrar: e.target.value });
            }}
          >
            {registrars.map(r => (
              <MenuItem key={r} value={r}>
                {REGISTRAR_TOKEN_HINTS[r]?.label ?? r}
              </MenuItem>
            ))}
          </TextField>
          {value.registrar && (
            <Box mt={1}>
              <TextField
                fullWidth
                type="password"
                autoComplete="off"
                id="domain-registrar-token"
                label="Registrar API token"
                value={token}
                onChange={e => {
                  setToken(e.target.value);
                  setTokenCheck(undefined);
                  setRegistrarTokenValidated(
                    value.registrar,
                    value.byoDomain,
                    false,
                  );
                  setSecrets({
                    [REGISTRAR_TOKEN_SECRET]: e.target.value.trim(),
                  });
                }}
                helperText={`${
                  REGISTRAR_TOKEN_HINTS[value.registrar]?.hint ?? 'API token'
                }. Kept in memory only; never stored.`}
              />
              <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
                <Button
                  variant="outlined"
                  color="primary"
                  disabled={
                    !token.trim() ||
                    !!checkDomainName(value.byoDomain) ||
                    checkingToken
                  }
                  onClick={validateToken}
                >
                  {checkingToken ? 'Checking…' : 'Check registrar token'}
                </Button>
                {tokenValidated && (
                  <Typography role="status">✓ Token accepted</Typography>
                )}
              </Box>
              {tokenCheck && !tokenCheck.valid && (
                <Alert severity="error" role="alert">
                  {REGISTRAR_ERROR_TEXT[tokenCheck.error] ?? tokenCheck.error}
                  {tokenCheck.status ? ` (HTTP ${tokenCheck.status})` : ''}
                  {tokenCheck.detail ? `: ${tokenCheck.detail}` : ''}
                </Alert>
              )}
            </Box>
          )}
        </Box>
      )}
      {fqdn && (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          Console: console.{fqdn}
        </Typography>
      )}
      {(rawErrors ?? []).map(e => (
        <FormHelperText error key={e}>
          {e}
        </FormHelperText>
      ))}
    </Box>
  );
};
