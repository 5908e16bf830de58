export {
  VoucherCode,
  voucherCodeValidation,
  normalizeVoucherCode,
  VOUCHER_CODE_SECRET,
  VOUCHER_CODE_ENTERED,
  VOUCHER_CODE_HANDOVER_KEY,
} from './VoucherCode';
