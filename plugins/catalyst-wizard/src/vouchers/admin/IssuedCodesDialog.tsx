import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItem,
  ListItemSecondaryAction,
  ListItemText,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { CopyButton } from '../../components/CopyButton';
import type { IssuedVoucher } from '../VouchersApi';
import { formatCredit, formatRedemptions } from '../voucherPresentation';

export interface IssuedCodesDialogProps {
  vouchers: IssuedVoucher[];
  /** Builds the link a tenant opens to redeem a code. */
  redeemLink: (code: string) => string;
  onClose: () => void;
}

/**
 * Shows freshly issued codes. The backend keeps only a hash of each code, so this dialog is the one and only
 * time they can be read: it says so, and offers a copy button per code and for all of them.
 */
export function IssuedCodesDialog(props: IssuedCodesDialogProps) {
  const { vouchers, redeemLink, onClose } = props;
  const open = vouchers.length > 0;
  const first = vouchers[0];
  const allCodes = vouchers.map(v => v.code).join('\n');
  return (
    <Dialog
      open={open}
      maxWidth="sm"
      fullWidth
      aria-labelledby="issued-codes-title"
    >
      <DialogTitle id="issued-codes-title">
        {vouchers.length === 1
          ? 'Voucher issued'
          : `${vouchers.length} vouchers issued`}
      </DialogTitle>
      <DialogContent>
        <Alert severity="warning">
          Copy the code{vouchers.length === 1 ? '' : 's'} now: for security
          {vouchers.length === 1 ? ' it' : ' they'} won't be shown again. Only
          the last four characters are kept for display.
        </Alert>
        {first && (
          <Typography variant="body2" style={{ marginTop: 12 }}>
            Each code is worth {formatCredit(first.credit)} and can be redeemed{' '}
            {first.maxRedemptions > 0
              ? `${first.maxRedemptions} time${
                  first.maxRedemptions === 1 ? '' : 's'
                }`
              : 'without limit'}{' '}
            ({formatRedemptions(0, first.maxRedemptions)}).
          </Typography>
        )}
        <List dense aria-label="Issued codes">
          {vouchers.map(voucher => (
            <ListItem key={voucher.id}>
              <ListItemText
                primary={
                  <code data-testid="issued-voucher-code">{voucher.code}</code>
                }
                secondary={redeemLink(voucher.code)}
              />
              <ListItemSecondaryAction>
                <CopyButton
                  text={voucher.code}
                  label={`Copy the code ${voucher.code}`}
                />
                <CopyButton
                  text={redeemLink(voucher.code)}
                  label={`Copy the redeem link of ${voucher.code}`}
                />
              </ListItemSecondaryAction>
            </ListItem>
          ))}
        </List>
      </DialogContent>
      <DialogActions>
        {vouchers.length > 1 && (
          <CopyButton text={allCodes} label="Copy all codes" />
        )}
        <Button color="primary" variant="contained" onClick={onClose}>
          I have copied the codes
        </Button>
      </DialogActions>
    </Dialog>
  );
}
