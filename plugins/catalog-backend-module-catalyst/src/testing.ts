/**
 * Fixtures for tests outside this package, published as `@catalyst/plugin-catalog-backend-module-catalyst/testing`
 * and never from the package index: complete Sovereign and Voucher registry records, as catalyst-backend keeps
 * them, for tests to override what they vary.
 *
 * @packageDocumentation
 */
export { sovereignRecord, voucherRecord } from './__fixtures__/records';
