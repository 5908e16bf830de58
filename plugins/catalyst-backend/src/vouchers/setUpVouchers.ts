import {
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { EventsService } from '@backstage/plugin-events-node';
import express from 'express';
import { createOrganizationsRouter } from '../organizations/createOrganizationsRouter';
import { OrganizationStore } from '../organizations/OrganizationStore';
import {
  createVouchersRouter,
  voucherAuthPolicies,
} from './createVouchersRouter';
import { SovereignDirectory } from './SovereignDirectory';
import { VoucherChangePublisher } from './VoucherChangePublisher';
import { VoucherRateLimits } from './VoucherRateLimits';
import { VoucherStore } from './VoucherStore';

export const VOUCHER_CODE_KEY_CONFIG = 'catalyst.vouchers.codeKey';
const MIN_CODE_KEY_LENGTH = 32;

/**
 * The HMAC key for voucher codes, or undefined when vouchers are not configured. A key that is set but too
 * short fails the start: a weak key would make stored hashes guessable.
 */
export function readVoucherCodeKey(config: Config): string | undefined {
  const key = config.getOptionalString(VOUCHER_CODE_KEY_CONFIG);
  if (key === undefined) return undefined;
  if (key.length < MIN_CODE_KEY_LENGTH) {
    throw new Error(
      `${VOUCHER_CODE_KEY_CONFIG} must be set to a secret of at least ${MIN_CODE_KEY_LENGTH} characters (voucher codes are stored as HMAC-SHA256 with it)`,
    );
  }
  return key;
}

/**
 * Builds the voucher and Organization routers.
 * The caller mounts the routers and the auth policies (the unauthenticated preview).
 *
 * Without `catalyst.vouchers.codeKey` the voucher routes are not mounted (they answer 404, which the catalog
 * providers read as "no records") and a warning names the key: a Catalyst without vouchers still runs.
 */
export async function setUpVouchers(deps: {
  config: Config;
  database: DatabaseService;
  events: EventsService;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  sovereigns: SovereignDirectory;
  now?: () => Date;
}): Promise<{
  routers: express.Router[];
  authPolicies: typeof voucherAuthPolicies;
  /** Revokes a Sovereign's open vouchers (its decommission) and answers how many; 0 without vouchers. */
  revokeAllOf: (sovereignName: string, by: string) => Promise<number>;
}> {
  const codeKey = readVoucherCodeKey(deps.config);
  if (!codeKey) {
    deps.logger.warn(
      `Vouchers are disabled: set ${VOUCHER_CODE_KEY_CONFIG} (a secret of at least ${MIN_CODE_KEY_LENGTH} characters) to enable them`,
    );
    return { routers: [], authPolicies: [], revokeAllOf: async () => 0 };
  }
  // The catalyst-sovereign permission resource is registered by the plugin (it also scopes registry reads).
  const store = await VoucherStore.create(deps.database, { now: deps.now });
  const publisher = new VoucherChangePublisher(deps.events, deps.logger);
  return {
    revokeAllOf: async (sovereignName, by) => {
      const revoked = await store.revokeAll(
        `sovereign:default/${sovereignName}`,
        by,
      );
      for (const voucher of revoked) await publisher.voucher(voucher);
      return revoked.length;
    },
    routers: [
      createVouchersRouter({
        store,
        sovereigns: deps.sovereigns,
        publisher,
        // Counters in the database: every replica shares one budget per client, code and customer.
        rateLimits: await VoucherRateLimits.inDatabase(
          store.knex,
          VoucherRateLimits.settingsFromConfig(deps.config),
        ),
        codeKey,
        trustProxy: deps.config.getOptional('backend.trustProxy'),
        httpAuth: deps.httpAuth,
        permissions: deps.permissions,
        logger: deps.logger,
        now: deps.now,
      }),
      createOrganizationsRouter({
        organizations: new OrganizationStore(store.knex),
        httpAuth: deps.httpAuth,
      }),
    ],
    authPolicies: voucherAuthPolicies,
  };
}
