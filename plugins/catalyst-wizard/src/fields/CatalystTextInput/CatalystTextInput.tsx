import { useEffect, useState } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { CATALYST_FIELD, useOwnErrorMessages } from '../errorSummary';
import { useFieldErrors } from '../useFieldErrors';
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
  useOwnErrorMessages();
  const [touched, setTouched] = useState(false);
  const rule = uiSchema?.['ui:options']?.rule;
  // An empty value is stored at once, so Next runs this field's rule ("Enter your organisation name") instead of
  // the JSON-schema text for a missing property.
  useEffect(() => {
    if (formData === undefined) onChange('');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [formData]);
  const liveError = textRuleError(
    rule,
    formData,
    (formContext as { formData?: unknown })?.formData,
  );
  const error = useFieldErrors(formData, rawErrors, [liveError], touched)[0];
  return (
    <TextField
      {...CATALYST_FIELD}
      fullWidth
      margin="normal"
      id={idSchema?.$id}
      label={schema.title}
      // The asterisk only: a native `required` would add the browser's own pop-up next to this field's message.
      InputLabelProps={{ required }}
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
