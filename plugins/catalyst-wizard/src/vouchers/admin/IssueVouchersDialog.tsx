import { ChangeEvent, FormEvent, useState } from 'react';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { remoteErrorOf } from '@catalyst/plugin-catalyst-common';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  TextField,
  TextFieldProps,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { IssuedVoucher, vouchersApiRef } from '../VouchersApi';
import { describeFailure } from '../voucherPresentation';
import {
  IssueFormErrors,
  IssueFormValues,
  issueFormDefaultsFor,
  validateIssueForm,
} from './issueForm';

export interface IssueVouchersDialogProps {
  open: boolean;
  /** Entity ref of the Sovereign the vouchers are issued for. */
  sovereign: string;
  onClose: () => void;
  onIssued: (vouchers: IssuedVoucher[]) => void;
}

/** The fields of the form, in order, with their grid width (of 12) and their TextField details. */
const ISSUE_FORM_FIELDS: Array<
  TextFieldProps & {
    name: keyof IssueFormValues;
    label: string;
    width: 4 | 6 | 8 | 12;
  }
> = [
  {
    name: 'amount',
    label: 'Credit',
    width: 8,
    required: true,
    inputProps: { inputMode: 'decimal' },
    helperText: 'Credited to the tenant when the code is redeemed',
  },
  { name: 'currency', label: 'Currency', width: 4, required: true },
  {
    name: 'count',
    label: 'Number of codes',
    width: 6,
    type: 'number',
    inputProps: { min: 1 },
    helperText: 'Each code is a separate voucher',
  },
  {
    name: 'maxRedemptions',
    label: 'Redemptions per code',
    width: 6,
    type: 'number',
    inputProps: { min: 0 },
    helperText: '1 = single use, 0 = unlimited',
  },
  {
    name: 'expiresOn',
    label: 'Expires on',
    width: 12,
    type: 'date',
    InputLabelProps: { shrink: true },
    helperText: 'Valid until the end of that day; leave empty for no expiry',
  },
  {
    name: 'description',
    label: 'Description',
    width: 12,
    helperText: 'The campaign, e.g. "Muscat launch week"',
  },
  {
    name: 'code',
    label: 'Chosen code (optional)',
    width: 12,
    helperText:
      'A memorable code such as OMANTEL-LAUNCH-100; leave empty to generate random codes',
  },
];

/** The "Issue vouchers" form: validated here, then sent once; a taken vanity code is reported on its field. */
export function IssueVouchersDialog(props: IssueVouchersDialogProps) {
  const { open, sovereign, onClose, onIssued } = props;
  const vouchersApi = useApi(vouchersApiRef);
  const config = useApi(configApiRef);
  const [issueFormDefaults] = useState(() =>
    issueFormDefaultsFor(
      config.getOptionalString('catalyst.vouchers.defaultCurrency'),
    ),
  );
  const [values, setValues] = useState<IssueFormValues>(issueFormDefaults);
  const [errors, setErrors] = useState<IssueFormErrors>({});
  const [submitError, setSubmitError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  const field =
    (name: keyof IssueFormValues) =>
    (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      const value = event.target.value;
      setValues(previous => ({ ...previous, [name]: value }));
      setErrors(previous => ({ ...previous, [name]: undefined }));
    };

  const close = () => {
    setValues(issueFormDefaults);
    setErrors({});
    setSubmitError(undefined);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitError(undefined);
    const { errors: found, request } = validateIssueForm(values);
    setErrors(found);
    if (!request) return;
    setSubmitting(true);
    try {
      const issued = await vouchersApi.issueVouchers(sovereign, request);
      setValues(issueFormDefaults);
      onIssued(issued);
    } catch (e) {
      if (remoteErrorOf(e)?.status === 409 && request.code) {
        setErrors({
          code: `A voucher with the code ${request.code} already exists (codes are never reused): choose another code`,
        });
      } else if (remoteErrorOf(e)?.status === 400) {
        setSubmitError(
          `The backend refused the vouchers: ${describeFailure(e)}`,
        );
      } else {
        setSubmitError(
          `The vouchers could not be issued: ${describeFailure(e)}`,
        );
      }
    } finally {
      setSubmitting(false);
    }
  };

  const text = (
    name: keyof IssueFormValues,
    label: string,
    { helperText, ...extra }: TextFieldProps = {},
  ) => (
    <TextField
      id={`issue-voucher-${name}`}
      label={label}
      value={values[name]}
      onChange={field(name)}
      fullWidth
      margin="dense"
      variant="outlined"
      {...extra}
      // An error replaces the field's hint.
      error={Boolean(errors[name])}
      helperText={errors[name] ?? helperText}
    />
  );

  return (
    <Dialog open={open} onClose={close} maxWidth="sm" fullWidth>
      <form onSubmit={submit} noValidate>
        <DialogTitle>Issue vouchers</DialogTitle>
        <DialogContent>
          <Grid container spacing={1}>
            {ISSUE_FORM_FIELDS.map(({ name, label, width, ...extra }) => (
              <Grid item xs={width} key={name}>
                {text(name, label, extra)}
              </Grid>
            ))}
          </Grid>
          {submitError && (
            <Alert severity="error" role="alert">
              {submitError}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={submitting}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={submitting}
          >
            {submitting ? 'Issuing…' : 'Issue'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
