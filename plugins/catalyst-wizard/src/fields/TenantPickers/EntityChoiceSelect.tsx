import TextField from '@material-ui/core/TextField';

/**
 * A native drop-down of catalog entities by the name a person reads, keeping the entity ref as the value. The
 * first, empty option says what an empty choice means (or that the list is loading).
 */
export const EntityChoiceSelect = (props: {
  id: string;
  label: string;
  value: string;
  choices: Array<{ ref: string; label: string }>;
  emptyLabel: string;
  onChange: (ref: string) => void;
  helperText: string;
  error: boolean;
  disabled: boolean;
  required?: boolean;
}) => (
  <TextField
    id={props.id}
    select
    label={props.label}
    value={props.value}
    onChange={e => props.onChange(e.target.value)}
    required={props.required}
    error={props.error}
    helperText={props.helperText}
    fullWidth
    margin="normal"
    variant="outlined"
    SelectProps={{ native: true }}
    InputLabelProps={{ shrink: true }}
    disabled={props.disabled}
  >
    <option value="">{props.emptyLabel}</option>
    {props.choices.map(choice => (
      <option key={choice.ref} value={choice.ref}>
        {choice.label}
      </option>
    ))}
  </TextField>
);
