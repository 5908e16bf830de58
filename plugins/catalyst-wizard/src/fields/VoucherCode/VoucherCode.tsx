import { useEffect, useState } from 'react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { useTemplateSecrets } from '@backstage/plugin-scaffolder-react';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';

/** The task secret the redeem action reads the code from. */
export const VOUCHER_CODE_SECRET = 'voucherCode';
/** What the form keeps instead of the code: a marker that a code was entered, never the code. */
export const VOUCHER_CODE_ENTERED = 'entered';
/**
 * The redeem page hands a checked code to this field through the tab's session storage (never the URL or the form
 * data); the field takes it once and removes it.
 */
export const VOUCHER_CODE_HANDOVER_KEY = 'catalyst.voucherCode';

/** Codes are compared upper-cased on every path. */
export function normalizeVoucherCode(input: string): string {
  return input.trim().toUpperCase();
}

function takeHandedOverCode(): string | undefined {
  try {
    const code = window.sessionStorage.getItem(VOUCHER_CODE_HANDOVER_KEY);
    window.sessionStorage.removeItem(VOUCHER_CODE_HANDOVER_KEY);
    return code ? normalizeVoucherCode(code) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The voucher code as a secret: typed (or handed over by the redeem page) into the task's secrets, so the code is
 * never stored in the task's parameters, shown in its review or put in a URL. The form value is only a marker.
 */
export function VoucherCode(props: FieldExtensionComponentProps<string>) {
  const { onChange, rawErrors, required, schema, idSchema } = props;
  const { secrets, setSecrets } = useTemplateSecrets();
  const [code, setCode] = useState(secrets[VOUCHER_CODE_SECRET] ?? '');
  // A code the redeem page checked is not asked for again: the field says it is there (never showing it).
  const [checked, setChecked] = useState(false);

  useEffect(() => {
    const handedOver = takeHandedOverCode();
    if (handedOver) {
      setCode(handedOver);
      setChecked(true);
      setSecrets({ [VOUCHER_CODE_SECRET]: handedOver });
      onChange(VOUCHER_CODE_ENTERED);
    }
    // Once, on mount: the hand-over is single-use.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (checked && code) {
    return (
      <Alert
        severity="success"
        data-testid="voucher-code-checked"
        action={
          <Button
            color="inherit"
            size="small"
            onClick={() => {
              setChecked(false);
              setCode('');
              setSecrets({ [VOUCHER_CODE_SECRET]: '' });
              onChange('');
            }}
          >
            Use another code
          </Button>
        }
      >
        Your voucher code (ending in {code.slice(-1)}) was checked on the redeem
        page and is entered.
      </Alert>
    );
  }

  return (
    <TextField
      id={idSchema?.$id}
      label={schema.title ?? 'Voucher code'}
      helperText={
        rawErrors?.length
          ? rawErrors.join(' ')
          : schema.description ?? 'Upper or lower case.'
      }
      error={Boolean(rawErrors?.length)}
      required={required}
      type="password"
      autoComplete="off"
      value={code}
      fullWidth
      margin="normal"
      variant="outlined"
      inputProps={{ spellCheck: false, 'aria-label': 'Voucher code' }}
      onChange={e => {
        const next = normalizeVoucherCode(e.target.value);
        setCode(next);
        setSecrets({ [VOUCHER_CODE_SECRET]: next });
        onChange(next ? VOUCHER_CODE_ENTERED : '');
      }}
    />
  );
}

/** Checked before the step can be left: a code must have been entered. The code itself is checked by the server. */
export const voucherCodeValidation: CustomFieldValidator<string> = (
  value,
  validation,
) => {
  if (value !== VOUCHER_CODE_ENTERED) {
    validation.addError('Enter the code from your voucher');
  }
};
