import { useEffect, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import { parseWorkerCount } from './validation';

/**
 * The worker count as typed. Nothing is clamped: a count outside the catalog's range (e.g. −3) stays what the
 * user typed and is refused next to the field with the range, so Next is blocked for a visible reason. No
 * min/max on the input, so the browser adds no pop-up of its own.
 */
export const WorkerCountField = (props: {
  id: string;
  value: number;
  min: number;
  max: number;
  error: string | undefined;
  helperText: string | undefined;
  onChange: (count: number) => void;
}) => {
  const { id, value, min, max, error, helperText, onChange } = props;
  const [text, setText] = useState(Number.isFinite(value) ? String(value) : '');
  // Follow values set from outside (a re-seeded card), but keep what the user is typing.
  useEffect(() => {
    if (parseWorkerCount(text) !== value && Number.isFinite(value)) {
      setText(String(value));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <TextField
      fullWidth
      margin="dense"
      id={id}
      label="Worker nodes"
      type="number"
      value={text}
      onChange={e => {
        setText(e.target.value);
        onChange(parseWorkerCount(e.target.value));
      }}
      error={!!error}
      helperText={error ?? helperText ?? `From ${min} to ${max}`}
    />
  );
};
