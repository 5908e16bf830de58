/**
 * The wizard's vouchers client is the shared one of the common package (docs/api-contracts.md), built on the
 * app's discovery and fetch APIs; it implements {@link VouchersApi}.
 */
export { VouchersClient } from '@catalyst/plugin-catalyst-common';
