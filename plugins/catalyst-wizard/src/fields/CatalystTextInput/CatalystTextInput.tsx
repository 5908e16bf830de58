import { useState } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { textRuleError, type TextRule } from './validation';

/**
 * A text input whose rule is checked as the user types (after the first edit), so mistakes show next to the
 * field instead of after Next. The value is trimmed; placeholders are never used as values (defect 10).
 */
export const CatalystTextInput = (
  props: FieldExtensionComponentProps<string, { rule?: TextRule }>,
) => {
  const {
    formData,
    onChange,
    rawErrors,
    schema,
    uiSchema,
    required,
    idSchema,
    formContext,
  } = props;
  const [touched, setTouched] = useState(false);
  const rule = uiSchema?.['ui:options']?.rule;
  const liveError = touched
    ? textRuleError(
        rule,
        formData,
        (formContext as { formData?: unknown })?.formData,
      )
    : undefined;
  const error = liveError ?? rawErrors?.[0];
  return (
    <TextField
      fullWidth
      margin="normal"
      id={idSchema?.$id}
      label={schema.title}
      required={required}
      placeholder={uiSchema?.['ui:placeholder'] as string | undefined}
      value={formData ?? ''}
      onChange={e => {
        setTouched(true);
        onChange(e.target.value);
      }}
      onBlur={() => {
        setTouched(true);
        if (formData !== undefined && formData !== formData.trim())
          onChange(formData.trim());
      }}
      error={!!error}
      helperText={error ?? schema.description}
    />
  );
};
