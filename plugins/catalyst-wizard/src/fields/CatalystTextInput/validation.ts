import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { EMAIL_PATTERN } from '@catalyst/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { wizardFormData, providersInUse } from '../wizardForm';
import { wizardSchemaErrors } from '../wizardRules';

/** The plain-text parameters that need a live rule (docs/wizard.md §1, §4, §6). */
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

const SCHEMA_OF_RULE: Record<
  TextRule,
  { page: 'org' | 'credentials' | 'domain'; label: string }
> = {
  orgName: { page: 'org', label: 'Organisation name' },
  orgEmail: { page: 'domain', label: 'Admin email' },
  hetznerProjectId: { page: 'credentials', label: 'Hetzner project ID' },
};

export const catalystTextInputValidation: CustomFieldValidator<
  string,
  { rule?: TextRule }
> = async (value, validation, { formData, uiSchema, apiHolder }) => {
  const rule = uiSchema?.['ui:options']?.rule;
  const error = textRuleError(rule, value, formData);
  if (error) {
    validation.addError(error);
    return;
  }
  const api = apiHolder.get(catalystApiRef);
  if (!rule || !api) return;
  if (rule === 'hetznerProjectId') {
    const regions = wizardFormData({ formData }).regions;
    if (!providersInUse(regions).includes('hetzner')) return;
  }
  const { page, label } = SCHEMA_OF_RULE[rule];
  const data = await api.getCatalogData();
  for (const e of wizardSchemaErrors(data, page, rule, value, label)) {
    validation.addError(e);
  }
};
