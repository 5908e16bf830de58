import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { checkSshPublicKey } from '@catalyst/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { wizardSchemaErrors } from '../wizardRules';

/** The problem with a pasted key, in the words of the rule the OpenTofu module shares; undefined when valid. */
export function sshKeyError(value: string | undefined): string | undefined {
  const key = (value ?? '').trim();
  if (!key) return 'Generate a key pair or paste an OpenSSH public key';
  const check = checkSshPublicKey(key);
  return check.ok ? undefined : `The public key ${check.message}`;
}

export const sshPublicKeyValidation: CustomFieldValidator<string> = async (
  value,
  validation,
  { apiHolder },
) => {
  const error = sshKeyError(value);
  if (error) {
    validation.addError(error);
    return;
  }
  const api = apiHolder.get(catalystApiRef);
  if (!api) return;
  const data = await api.getCatalogData();
  for (const e of wizardSchemaErrors(
    data,
    'credentials',
    'sshPublicKey',
    value,
    'The public key',
  )) {
    validation.addError(e);
  }
};
