import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { EMAIL_PATTERN } from '@catalyst/plugin-catalyst-common';
import { wizardFormData, providersInUse } from '../wizardForm';

/** The plain-text parameters that need a live rule (wizard.md §1, §4, §6). */
export type TextRule = 'orgName' | 'orgEmail' | 'hetznerProjectId';

/** The problem with a typed value, or undefined. `formData` is the whole wizard form. */
export function textRuleError(
  rule: TextRule | undefined,
  value: string | undefined,
  formData: unknown,
): string | undefined {
  const text = (value ?? '').trim();
  switch (rule) {
    case 'orgName':
      return text ? undefined : 'Enter your organisation name';
    case 'orgEmail':
      if (!text) return 'Enter the admin email address';
      return EMAIL_PATTERN.test(text)
        ? undefined
        : `“${text}” is not an email address (expected name@domain.tld)`;
    case 'hetznerProjectId': {
      const regions = wizardFormData({ formData }).regions;
      if (!providersInUse(regions).includes('hetzner')) return undefined;
      return text
        ? undefined
        : 'Enter the Hetzner project ID (Hetzner Console → your project)';
    }
    default:
      return undefined;
  }
}

export const catalystTextInputValidation: CustomFieldValidator<
  string,
  { rule?: TextRule }
> = (value, validation, { formData, uiSchema }) => {
  const error = textRuleError(uiSchema?.['ui:options']?.rule, value, formData);
  if (error) validation.addError(error);
};
