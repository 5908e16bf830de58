import FormControlLabel from '@material-ui/core/FormControlLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';

/** A row of radio buttons choosing one of a few modes (domain mode, SSH key source…). */
export const ChoiceRadios = <T extends string>(props: {
  label: string;
  value: T;
  choices: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T) => void;
}) => (
  <RadioGroup
    row
    aria-label={props.label}
    value={props.value}
    onChange={e => props.onChange(e.target.value as T)}
  >
    {props.choices.map(choice => (
      <FormControlLabel
        key={choice.value}
        value={choice.value}
        control={<Radio color="primary" />}
        label={choice.label}
      />
    ))}
  </RadioGroup>
);
