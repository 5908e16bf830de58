import { useEffect, useState } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { catalystApiRef, type GeneratedSshKey } from '../../api';
import { wizardFormData } from '../wizardForm';
import { domainFqdn } from '../DomainPicker/validation';
import { CATALYST_FIELD, useOwnErrorMessages } from '../errorSummary';
import { useFieldErrors } from '../useFieldErrors';
import { sshKeyError } from './validation';
import { ChoiceRadios } from '../parts/ChoiceRadios';

const KEY_SOURCES = [
  { value: 'generate', label: 'Generate a key pair (recommended)' },
  { value: 'paste', label: 'Paste my own public key' },
] as const;

/**
 * The generated private key is kept in memory only (never in the form, drafts or secrets), so "download again"
 * works while the page is open and the key is gone once it is closed.
 */
let generatedInMemory: (GeneratedSshKey & { fileName: string }) | undefined;

export function forgetGeneratedKey(): void {
  generatedInMemory = undefined;
}

function download(fileName: string, privateKey: string) {
  const blob = new Blob([privateKey], { type: 'application/x-pem-file' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

export const SshPublicKey = (props: FieldExtensionComponentProps<string>) => {
  const { formData, onChange, rawErrors, formContext, schema } = props;
  useOwnErrorMessages();
  const catalystApi = useApi(catalystApiRef);
  const form = wizardFormData(formContext);
  const [generated, setGenerated] = useState(
    generatedInMemory?.publicKey === formData ? generatedInMemory : undefined,
  );
  const [mode, setMode] = useState<'generate' | 'paste'>(
    formData && !generated ? 'paste' : 'generate',
  );
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();

  const fqdn = domainFqdn(form.domain);

  const generate = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const key = await catalystApi.generateSshKey(fqdn || undefined);
      const fileName = `${fqdn || 'catalyst'}.pem`;
      generatedInMemory = { ...key, fileName };
      setGenerated(generatedInMemory);
      onChange(key.publicKey);
      download(fileName, key.privateKey);
    } catch (e) {
      setFailure(`Could not generate a key: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  // An empty key is stored at once, so Next runs the key rule instead of the JSON-schema text for a missing
  // property.
  useEffect(() => {
    if (formData === undefined) onChange('');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [formData]);
  const errors = useFieldErrors(
    formData,
    rawErrors,
    [sshKeyError(formData)],
    touched,
  );
  // In paste mode the message belongs under the text box; otherwise under the generate button.
  const shownError = mode === 'paste' ? errors[0] : undefined;
  const otherErrors = mode === 'paste' ? errors.slice(1) : errors;

  return (
    <Box {...CATALYST_FIELD}>
      <Typography variant="h6">{schema.title ?? 'SSH public key'}</Typography>
      <ChoiceRadios
        label="SSH key source"
        value={mode}
        choices={KEY_SOURCES}
        onChange={setMode}
      />
      {mode === 'generate' && (
        <Box>
          {generated ? (
            <Box>
              <Alert severity="success">
                Key generated. Fingerprint {generated.fingerprint}. The private
                key was downloaded as {generated.fileName}; it is not stored
                anywhere else.
              </Alert>
              <Box mt={1} display="flex" style={{ gap: 8 }}>
                <Button
                  variant="outlined"
                  onClick={() =>
                    download(generated.fileName, generated.privateKey)
                  }
                >
                  Download again
                </Button>
                <Button variant="outlined" disabled={busy} onClick={generate}>
                  Re-generate
                </Button>
              </Box>
            </Box>
          ) : (
            <Button
              variant="contained"
              color="primary"
              disabled={busy}
              onClick={generate}
            >
              {busy ? 'Generating…' : 'Generate SSH key pair'}
            </Button>
          )}
        </Box>
      )}
      {mode === 'paste' && (
        <TextField
          fullWidth
          multiline
          minRows={2}
          id="ssh-public-key"
          label="OpenSSH public key"
          placeholder="ssh-ed25519 AAAAC3Nza… you@host"
          value={generated ? '' : formData ?? ''}
          onChange={e => {
            // Pasting replaces any generated pair: its private key no longer matches.
            generatedInMemory = undefined;
            setGenerated(undefined);
            setTouched(true);
            onChange(e.target.value.trim());
          }}
          error={!!shownError}
          helperText={
            shownError ??
            'One line: ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256, the base64 key, an optional comment.'
          }
        />
      )}
      {failure && (
        <Alert severity="error" role="alert">
          {failure}
        </Alert>
      )}
      {otherErrors.map(e => (
        <Typography key={e} color="error" variant="caption" component="p">
          {e}
        </Typography>
      ))}
    </Box>
  );
};
