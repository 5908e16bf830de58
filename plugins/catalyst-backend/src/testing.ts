/**
 * For tests and benchmarks outside this package (bench/voucher-redeem.bench.ts): the voucher store, which runs
 * the same redemption transaction as `POST /v1/vouchers/redeem`, and the voucher code helpers. Published as
 * `@catalyst/plugin-catalyst-backend/testing`, never from the package index: production code talks to the
 * plugin over HTTP.
 *
 * @packageDocumentation
 */
export { VoucherStore } from './vouchers/VoucherStore';
export type {
  PreviewResult,
  RedeemResult,
  VoucherIssueInput,
} from './vouchers/VoucherStore';
export {
  generateVoucherCode,
  hashVoucherCode,
  maskVoucherCode,
  parseVoucherCode,
} from './vouchers/voucherCode';
