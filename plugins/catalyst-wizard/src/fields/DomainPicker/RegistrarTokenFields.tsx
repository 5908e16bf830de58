import { useState } from 'react';
import { useTemplateSecrets } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  checkDomainName,
  normalizeDomainInput,
} from '@catalyst/plugin-catalyst-common';
import type { CatalystApi, RegistrarCheck } from '../../api';
import { REGISTRAR_TOKEN_SECRET, type DomainValue } from '../wizardForm';
import {
  REGISTRAR_TOKEN_HINTS,
  isRegistrarTokenValidated,
  setRegistrarTokenValidated,
} from './validation';

const REGISTRAR_ERROR_TEXT: Record<string, string> = {
  'invalid-token': 'The registrar rejected the token',
  'rate-limited':
    'The registrar is rate-limiting requests; try again in a minute',
  'domain-not-in-account': 'The domain is not in this registrar account',
  'api-unavailable': 'The registrar API is unavailable',
  'unsupported-registrar': 'PDM has no adapter for this registrar',
};

/**
 * The registrar and its API token for "Catalyst sets NS via registrar API". The token lives in the task's
 * secrets only; checking it marks it validated in this tab's memory, and any edit forgets that.
 */
export const RegistrarTokenFields = (props: {
  catalystApi: CatalystApi;
  value: DomainValue;
  registrars: string[];
  onRegistrar: (registrar: string) => void;
}) => {
  const { catalystApi, value, registrars, onRegistrar } = props;
  const { secrets, setSecrets } = useTemplateSecrets();
  const [token, setToken] = useState(secrets[REGISTRAR_TOKEN_SECRET] ?? '');
  const [tokenCheck, setTokenCheck] = useState<RegistrarCheck | undefined>();
  const [checkingToken, setCheckingToken] = useState(false);
  const tokenValidated = isRegistrarTokenValidated(
    value.registrar,
    value.byoDomain,
  );

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

  return (
    <Box mt={2}>
      <TextField
        select
        fullWidth
        id="domain-registrar"
        label="Registrar"
        value={value.registrar}
        onChange={e => {
          setToken('');
          setTokenCheck(undefined);
          setSecrets({ [REGISTRAR_TOKEN_SECRET]: '' });
          setRegistrarTokenValidated(value.registrar, value.byoDomain, false);
          onRegistrar(e.target.value);
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
  );
};
