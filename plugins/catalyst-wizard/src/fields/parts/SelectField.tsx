import type { CSSProperties, ReactNode } from 'react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';

export interface SelectOption {
  value: string;
  label: ReactNode;
}

/**
 * A labelled drop-down of the wizard: the chosen value, its options, and the field's error shown under it.
 * Every select of the wizard pages is one of these, so they look and behave alike.
 */
export const SelectField = (props: {
  id: string;
  label: string;
  value: string;
  options: SelectOption[];
  onChange: (value: string) => void;
  error?: string;
  /** Full width with dense margins (a field of a card), or inline next to another field. */
  layout?: 'stacked' | 'inline';
  style?: CSSProperties;
}) => {
  const stacked = (props.layout ?? 'stacked') === 'stacked';
  return (
    <TextField
      select
      fullWidth={stacked}
      margin={stacked ? 'dense' : undefined}
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      error={!!props.error}
      helperText={props.error}
      style={props.style}
    >
      {props.options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </TextField>
  );
};
