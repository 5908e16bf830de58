import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { Voucher, vouchersApiRef } from '../VouchersApi';
import { describeFailure, formatRedemptions } from '../voucherPresentation';

export interface RevokeVoucherDialogProps {
  /** The voucher to revoke; the dialog is open while it is set. */
  voucher?: Voucher;
  onClose: () => void;
  onRevoked: (voucher: Voucher) => void;
}

/** Asks before revoking: a revoked voucher can never be redeemed again, and its code is never reissued. */
export function RevokeVoucherDialog(props: RevokeVoucherDialogProps) {
  const { voucher, onClose, onRevoked } = props;
  const vouchersApi = useApi(vouchersApiRef);
  const [revoking, setRevoking] = useState(false);
  const [error, setError] = useState<string>();

  const close = () => {
    setError(undefined);
    onClose();
  };

  const revoke = async () => {
    if (!voucher) return;
    setRevoking(true);
    setError(undefined);
    try {
      await vouchersApi.revokeVoucher(voucher.sovereign, voucher.id);
      onRevoked(voucher);
    } catch (e) {
      setError(`The voucher was not revoked: ${describeFailure(e)}`);
    } finally {
      setRevoking(false);
    }
  };

  return (
    <Dialog
      open={Boolean(voucher)}
      onClose={close}
      aria-labelledby="revoke-title"
    >
      <DialogTitle id="revoke-title">
        Revoke voucher {voucher?.codeMasked}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Nobody will be able to redeem this code any more. Credit already
          granted stays with the tenants who redeemed it (
          {voucher &&
            formatRedemptions(
              voucher.timesRedeemed,
              voucher.maxRedemptions,
            )}{' '}
          redemptions). Revoking cannot be undone.
        </DialogContentText>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={revoking}>
          Keep it
        </Button>
        <Button
          onClick={revoke}
          color="secondary"
          variant="contained"
          disabled={revoking}
        >
          {revoking ? 'Revoking…' : 'Revoke'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
