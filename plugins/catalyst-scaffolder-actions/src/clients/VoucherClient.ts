import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  IssueVouchersRequest,
  IssuedVoucher,
  RedeemVoucherRequest,
  VoucherRedemption,
  VouchersClient,
} from '@catalyst/plugin-catalyst-common';
import { PluginApiClient } from '@catalyst/plugin-catalyst-node';

/** The voucher wire types and the refusal error, from the shared contract and client (docs/api-contracts.md). */
export type {
  IssuedVoucher,
  VoucherCredit,
  VoucherRedemption,
} from '@catalyst/plugin-catalyst-common';
export { VoucherRedeemRejectedError } from '@catalyst/plugin-catalyst-common';

/** What the redeem step asks for: a count and a redemption limit are always given. */
export type VoucherIssueRequest = IssueVouchersRequest & {
  count: number;
  maxRedemptions: number;
};

/**
 * The shared {@link VouchersClient} as the scaffolder uses it. Issue and redeem act for a person, so they carry a
 * token minted on behalf of the task initiator's credentials: the permission policy decides who may issue, and a
 * redemption belongs to the user who typed the code. Only the rollback of a redemption, which the router reserves
 * for backend services, uses this plugin's own credentials.
 */
export class VoucherClient {
  private readonly api: PluginApiClient;
  private readonly client: VouchersClient;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    timeoutMs?: number;
  }) {
    this.api = new PluginApiClient({
      ...options,
      pluginId: 'catalyst',
      serviceName: 'Vouchers',
    });
    this.client = new VouchersClient(this.api);
  }

  async issue(
    sovereignName: string,
    request: VoucherIssueRequest,
    credentials: BackstageCredentials,
    signal?: AbortSignal,
  ): Promise<IssuedVoucher[]> {
    return this.client.issueVouchers(sovereignName, request, {
      token: await this.api.tokenFor(credentials),
      signal,
    });
  }

  async redeem(
    request: Omit<RedeemVoucherRequest, 'customer'>,
    credentials: BackstageCredentials,
    signal?: AbortSignal,
  ): Promise<VoucherRedemption> {
    return this.client.redeemVoucher(request, {
      token: await this.api.tokenFor(credentials),
      signal,
    });
  }

  async rollback(
    redemptionId: string,
    signal?: AbortSignal,
  ): Promise<VoucherRedemption> {
    return this.client.rollbackRedemption(redemptionId, { signal });
  }
}
