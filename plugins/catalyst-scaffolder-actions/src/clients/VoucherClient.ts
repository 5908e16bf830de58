import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

import type {
  IssuedVoucher,
  IssueVouchersRequest,
  RedeemVoucherRequest,
  VoucherRedemption,
} from '@catalyst/plugin-catalyst-common';
import { PluginApiClient } from '@catalyst/plugin-catalyst-node';

const seg = encodeURIComponent;

/** The voucher wire types, from the shared contract (docs/api-contracts.md). */
export type {
  IssuedVoucher,
  VoucherCredit,
  VoucherRedemption,
} from '@catalyst/plugin-catalyst-common';

/** What the redeem step asks for: a count and a redemption limit are always given. */
export type VoucherIssueRequest = IssueVouchersRequest & {
  count: number;
  maxRedemptions: number;
};

/** Why the router refused a redemption (its `error` field), for callers that explain it to a person. */
export class VoucherRedeemRejectedError extends ConflictError {
  constructor(
    message: string,
    readonly reason: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Client of the voucher routes of catalyst-backend (`/api/catalyst/v1/…vouchers…`).
 *
 * Issue and redeem act for a person, so they carry a token minted on behalf of the task initiator's credentials:
 * the permission policy decides who may issue, and a redemption belongs to the user who typed the code. Only the
 * rollback of a redemption, which the router reserves for backend services, uses this plugin's own credentials.
 *
 * Voucher codes travel only in request bodies; no error or message built here contains a request body.
 */
export class VoucherClient {
  private readonly api: PluginApiClient;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      timeoutMs?: number;
    },
  ) {
    this.api = new PluginApiClient({
      ...options,
      pluginId: 'catalyst',
      serviceName: 'Vouchers',
    });
  }

  /** `POST /v1/sovereigns/:sovereign/vouchers` as the user; returns the vouchers with their full codes. */
  async issue(
    sovereignName: string,
    request: VoucherIssueRequest,
    credentials: BackstageCredentials,
    signal?: AbortSignal,
  ): Promise<IssuedVoucher[]> {
    const body = await this.call(
      'POST',
      `/v1/sovereigns/${seg(sovereignName)}/vouchers`,
      request,
      credentials,
      signal,
    );
    if (!Array.isArray(body?.vouchers)) {
      throw new ServiceUnavailableError(
        'Voucher issue answered without a vouchers list',
      );
    }
    return body.vouchers as IssuedVoucher[];
  }

  /**
   * `POST /v1/vouchers/redeem` as the user. The backend creates the Organization in the same transaction.
   * Refusals (unknown, expired, slug taken, …) become a {@link VoucherRedeemRejectedError} with the router's
   * own explanation.
   */
  async redeem(
    request: Omit<RedeemVoucherRequest, 'customer'>,
    credentials: BackstageCredentials,
    signal?: AbortSignal,
  ): Promise<VoucherRedemption> {
    const body = await this.call(
      'POST',
      '/v1/vouchers/redeem',
      request,
      credentials,
      signal,
    );
    return body.redemption as VoucherRedemption;
  }

  /** `POST /v1/vouchers/redemptions/:id/rollback` with service credentials: restores credit and count. */
  async rollback(
    redemptionId: string,
    signal?: AbortSignal,
  ): Promise<VoucherRedemption> {
    const body = await this.call(
      'POST',
      `/v1/vouchers/redemptions/${seg(redemptionId)}/rollback`,
      undefined,
      await this.options.auth.getOwnServiceCredentials(),
      signal,
    );
    return body.redemption as VoucherRedemption;
  }

  private async call(
    method: 'POST',
    path: string,
    body: unknown,
    credentials: BackstageCredentials,
    signal?: AbortSignal,
  ): Promise<any> {
    const response = await this.api.request(method, path, {
      body,
      signal,
      onBehalfOf: credentials,
      toError,
    });
    return response.body;
  }
}

/**
 * The voucher router answers refusals as `{error: <reason>, message}` and other failures in the Backstage shape
 * `{error: {name, message}}`. Only these fields are used: the router never quotes a code back.
 */
function toError(operation: string, status: number, body: any): Error {
  if (typeof body?.error === 'string') {
    const message =
      typeof body.message === 'string' ? body.message : body.error;
    if (status === 409 || status === 410 || status === 404) {
      return new VoucherRedeemRejectedError(message, body.error, status);
    }
    if (status === 400) return new InputError(message);
    if (status === 429) {
      return new ServiceUnavailableError(message);
    }
  }
  const detail =
    typeof body?.error?.message === 'string' ? `: ${body.error.message}` : '';
  const message = `${operation} answered ${status}${detail}`;
  switch (status) {
    case 400:
      return new InputError(message);
    case 401:
      return new AuthenticationError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
    case 410:
      return new ConflictError(message);
    default:
      return new ServiceUnavailableError(message);
  }
}
