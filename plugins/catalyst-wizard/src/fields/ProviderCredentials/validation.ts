import { catalystApiRef } from '../../api';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  providersInUse,
  wizardFormData,
  type TokenMarker,
} from '../wizardForm';

/** Hetzner project tokens are 64 characters; other providers' credentials have other shapes (defect 9). */
export const MIN_TOKEN_LENGTH: Record<string, number> = { hetzner: 64 };

export const PROVIDER_TOKEN_HINTS: Record<string, string> = {
  hetzner: 'Read & Write project API token, 64+ characters',
  huawei: 'Access Key ID plus secret (AK/SK)',
  oci: 'API private key or session token',
  aws: 'Access Key ID plus secret access key (JSON or combined string)',
  azure: 'Service-principal client ID plus secret',
};

/** The live problem with a typed token, before it is sent anywhere. */
export function tokenInputError(
  provider: string,
  token: string,
): string | undefined {
  const trimmed = token.trim();
  if (!trimmed) return 'Enter the token';
  const min = MIN_TOKEN_LENGTH[provider];
  if (min && trimmed.length < min) {
    return `Too short: ${trimmed.length} of at least ${min} characters`;
  }
  return undefined;
}

/** Every provider the regions use needs a validated credential. */
export function credentialErrors(
  regionsProviders: string[],
  value: Record<string, TokenMarker> | undefined,
  providerName: (p: string) => string = p => p,
): string[] {
  return regionsProviders
    .filter(p => !value?.[p]?.validated)
    .map(p => `Validate the ${providerName(p)} credential`);
}

export const providerCredentialsValidation: CustomFieldValidator<
  Record<string, TokenMarker>
> = async (value, validation, { formData, apiHolder }) => {
  const providers = providersInUse(wizardFormData({ formData }).regions);
  // The same provider names the field shows, so its message and this one are one message.
  const data = await apiHolder.get(catalystApiRef)?.getCatalogData();
  const names = data?.nodeSizes.providers as
    | Record<string, { name: string }>
    | undefined;
  const providerName = (p: string) => names?.[p]?.name ?? p;
  for (const e of credentialErrors(providers, value, providerName)) {
    validation.addError(e);
  }
};
