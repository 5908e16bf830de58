import { useEffect, useState } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useTemplateSecrets } from '@backstage/plugin-scaffolder-react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { catalystApiRef, type CredentialCheck } from '../../api';
import { useCatalogData } from '../useCatalogData';
import { CATALYST_FIELD, useOwnErrorMessages } from '../errorSummary';
import { useFieldErrors } from '../useFieldErrors';
import {
  providerTokenSecret,
  providersInUse,
  wizardFormData,
  type TokenMarker,
} from '../wizardForm';
import {
  PROVIDER_TOKEN_HINTS,
  credentialErrors,
  tokenInputError,
} from './validation';

const FAILURE_TEXT: Record<string, string> = {
  rejected: 'The provider rejected the token. It needs Read & Write access.',
  'too-short': 'The backend says the token is too short.',
  unreachable: 'The provider API could not be reached to check the token.',
  network: 'The Catalyst backend could not be reached.',
  parse: 'The backend answered with something that is not JSON.',
  http: 'The check failed with an unexpected HTTP status.',
};

type TokenSectionProps = {
  provider: string;
  providerName: string;
  marker: TokenMarker | undefined;
  onMarker: (marker: TokenMarker) => void;
};

const TokenSection = ({
  provider,
  providerName,
  marker,
  onMarker,
}: TokenSectionProps) => {
  const catalystApi = useApi(catalystApiRef);
  const { secrets, setSecrets } = useTemplateSecrets();
  const secretKey = providerTokenSecret(provider);
  const [token, setToken] = useState(secrets[secretKey] ?? '');
  const [touched, setTouched] = useState(false);
  const [checking, setChecking] = useState(false);
  const [result, setResult] = useState<CredentialCheck | undefined>();

  // A token cleared elsewhere (a topology change) un-validates the marker this page left behind.
  useEffect(() => {
    if (marker?.validated && !secrets[secretKey]) {
      onMarker({ validated: false, length: 0 });
    }
  }, [marker, secrets, secretKey, onMarker]);

  const inputError = tokenInputError(provider, token);
  const change = (next: string) => {
    setToken(next);
    setTouched(true);
    setResult(undefined);
    setSecrets({ [secretKey]: next.trim() });
    onMarker({ validated: false, length: next.trim().length });
  };
  const validate = async () => {
    setChecking(true);
    try {
      const check = await catalystApi.validateCredential(
        provider,
        token.trim(),
      );
      setResult(check);
      onMarker({ validated: check.valid, length: token.trim().length });
    } finally {
      setChecking(false);
    }
  };
  const failure = result && !result.valid ? result : undefined;
  const diagnostic = failure
    ? JSON.stringify({
        provider,
        kind: failure.kind,
        status: failure.status,
        reason: failure.reason,
        detail: failure.detail,
      })
    : '';

  return (
    <Box>
      <Typography variant="subtitle1">{providerName}</Typography>
      <TextField
        fullWidth
        type="password"
        autoComplete="off"
        id={`${provider}-token`}
        label={`${providerName} API token`}
        value={token}
        onChange={e => change(e.target.value)}
        error={touched && !!inputError}
        helperText={
          (touched && inputError) ||
          `${
            PROVIDER_TOKEN_HINTS[provider] ?? 'API credential'
          }. The token is sent to the provider to check it and is never stored.`
        }
      />
      <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
        <Button
          variant="outlined"
          color="primary"
          disabled={!!inputError || checking}
          onClick={validate}
        >
          {checking ? 'Validating…' : `Validate ${providerName} token`}
        </Button>
        {marker?.validated && (
          <Typography role="status" style={{ color: '#2e7d32' }}>
            ✓ Valid
          </Typography>
        )}
      </Box>
      {failure && (
        <Alert
          severity="error"
          role="alert"
          action={
            <Box display="flex" flexDirection="column">
              <Button size="small" onClick={validate}>
                Retry
              </Button>
              <Button
                size="small"
                onClick={() =>
                  window.navigator.clipboard?.writeText(diagnostic)
                }
              >
                Copy diagnostic
              </Button>
            </Box>
          }
        >
          <Typography variant="body2">
            Not valid{failure.status ? ` (HTTP ${failure.status})` : ''}:{' '}
            {FAILURE_TEXT[failure.kind]}
          </Typography>
          {failure.reason && (
            <Typography variant="body2">{failure.reason}</Typography>
          )}
          {failure.detail && (
            <Typography variant="caption" component="pre">
              {failure.detail}
            </Typography>
          )}
          <Typography variant="caption">The token is never stored.</Typography>
        </Alert>
      )}
    </Box>
  );
};

export const ProviderCredentials = (
  props: FieldExtensionComponentProps<Record<string, TokenMarker>>,
) => {
  const { formData, onChange, rawErrors, formContext, schema } = props;
  useOwnErrorMessages();
  const form = wizardFormData(formContext);
  const providers = providersInUse(form.regions);
  const { data } = useCatalogData();
  const providerName = (p: string) =>
    (
      data?.nodeSizes.providers as Record<string, { name: string }> | undefined
    )?.[p]?.name ?? p;
  const value = formData ?? {};

  // Keep only the providers the regions still use.
  useEffect(() => {
    const stale = Object.keys(formData ?? {}).filter(
      p => !providers.includes(p),
    );
    if (stale.length) {
      onChange(
        Object.fromEntries(
          Object.entries(formData ?? {}).filter(([p]) => providers.includes(p)),
        ),
      );
    }
  }, [formData, providers, onChange]);

  // An empty set of markers is stored at once, so Next runs the credential rule instead of the JSON-schema text
  // for a missing property.
  useEffect(() => {
    if (formData === undefined) onChange({});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [formData]);

  const pending = credentialErrors(providers, value, providerName);
  const errors = useFieldErrors(value, rawErrors, pending);
  return (
    <Box {...CATALYST_FIELD}>
      <Typography variant="h6">
        {schema.title ?? 'Provider credentials'}
      </Typography>
      <Grid container spacing={3}>
        {providers.map(p => (
          <Grid item xs={12} md={providers.length > 1 ? 6 : 12} key={p}>
            <TokenSection
              provider={p}
              providerName={providerName(p)}
              marker={value[p]}
              onMarker={marker =>
                onChange({ ...(formData ?? {}), [p]: marker })
              }
            />
          </Grid>
        ))}
      </Grid>
      {errors.map(e => (
        <FormHelperText error key={e}>
          {e}
        </FormHelperText>
      ))}
      {pending.length > 0 && !errors.length && (
        <FormHelperText>{pending.join('; ')}</FormHelperText>
      )}
    </Box>
  );
};
