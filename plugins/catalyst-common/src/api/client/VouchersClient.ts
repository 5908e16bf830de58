import { parseEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type {
  DecommissionImpact,
  IssuedVoucher,
  IssueVouchersRequest,
  RedeemVoucherRequest,
  Voucher,
  VoucherDetail,
  VoucherInvalidReason,
  VoucherPatch,
  VoucherPreview,
  VoucherRedemption,
} from '../vouchersApi';
import {
  ApiClientOptions,
  ApiRequestOptions,
  ApiTransport,
  describeResponseError,
  withRemote,
} from './ApiTransport';

const invalidReasons: ReadonlyArray<VoucherInvalidReason> = [
  'unknown',
  'expired',
  'exhausted',
  'inactive',
  'bad-check-character',
  'bad-format',
];

/** The answer a status implies when the body does not name a reason (a proxy's own 404, say). */
const reasonByStatus: Record<number, VoucherInvalidReason> = {
  400: 'bad-format',
  404: 'unknown',
  410: 'inactive',
};

/**
 * A refused redemption (unknown code, expired, slug taken, …) with the router's own explanation and the reason
 * it names, for callers that explain it to a person.
 */
export class VoucherRedeemRejectedError extends ConflictError {
  constructor(
    message: string,
    readonly reason: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The refusal the vouchers router sends (`VoucherRejectedError` serialized in the Backstage error body). */
function refusalOf(
  error: ResponseError,
): { reason: string; message: string } | undefined {
  const cause = error.cause as Error & { reason?: unknown };
  return cause.name === 'VoucherRejectedError' &&
    typeof cause.reason === 'string'
    ? { reason: cause.reason, message: cause.message }
    : undefined;
}

/**
 * Refusals become errors a person can read: a malformed request an `InputError`, a rate limit a
 * `ServiceUnavailableError`, any other refusal a {@link VoucherRedeemRejectedError}; everything else the
 * `@backstage/errors` type of its status. The router never quotes a code back, so neither does the message.
 */
async function readVoucherError(
  operation: string,
  response: Response,
): Promise<Error> {
  const error = await ResponseError.fromResponse(response);
  const refusal = refusalOf(error);
  if (!refusal) return describeResponseError(operation, error);
  const remote = {
    status: response.status,
    name: error.cause.name,
    message: refusal.message,
  };
  if (response.status === 400) {
    return withRemote(new InputError(refusal.message), remote);
  }
  if (response.status === 429) {
    return withRemote(new ServiceUnavailableError(refusal.message), remote);
  }
  return withRemote(
    new VoucherRedeemRejectedError(
      refusal.message,
      refusal.reason,
      response.status,
    ),
    remote,
  );
}

/**
 * The Sovereign segment of `/sovereigns/:sovereign/...` is the entity name: refs such as
 * `sovereign:default/omantel-omani-works` are reduced to `omantel-omani-works`.
 */
function sovereignSegment(sovereign: string): string {
  const { name } = parseEntityRef(sovereign, {
    defaultKind: 'sovereign',
    defaultNamespace: 'default',
  });
  return encodeURIComponent(name);
}

const seg = encodeURIComponent;

/**
 * The client of the vouchers API of catalyst-backend (`/api/catalyst/v1/…vouchers…`, docs/api-contracts.md and
 * docs/vouchers.md), for the wizard, the scaffolder actions and the tests alike. Voucher codes travel only in
 * request bodies; no error built here contains a request body.
 */
export class VouchersClient {
  private readonly transport: ApiTransport;

  constructor(options: ApiClientOptions) {
    this.transport = new ApiTransport({
      ...options,
      pluginId: 'catalyst',
      serviceName: 'Vouchers',
      readError: readVoucherError,
    });
  }

  /** Entity refs of the Sovereigns whose vouchers the signed-in user may administer. */
  async listAdministeredSovereigns(
    options?: ApiRequestOptions,
  ): Promise<string[]> {
    const { body } = await this.transport.request<{ sovereigns: string[] }>(
      'GET',
      '/v1/vouchers/administered',
      options,
    );
    return body.sovereigns;
  }

  async listVouchers(
    sovereign: string,
    options?: ApiRequestOptions,
  ): Promise<Voucher[]> {
    const { body } = await this.transport.request<{ vouchers: Voucher[] }>(
      'GET',
      `/v1/sovereigns/${sovereignSegment(sovereign)}/vouchers`,
      options,
    );
    return body.vouchers;
  }

  async getVoucher(
    sovereign: string,
    id: string,
    options?: ApiRequestOptions,
  ): Promise<VoucherDetail> {
    const { body } = await this.transport.request<VoucherDetail>(
      'GET',
      `/v1/sovereigns/${sovereignSegment(sovereign)}/vouchers/${seg(id)}`,
      options,
    );
    return body;
  }

  /** What decommissioning the Sovereign takes from its tenants (its Organizations, its open vouchers). */
  async decommissionImpact(
    sovereign: string,
    options?: ApiRequestOptions,
  ): Promise<DecommissionImpact> {
    const { body } = await this.transport.request<DecommissionImpact>(
      'GET',
      `/v1/sovereigns/${sovereignSegment(sovereign)}/decommission-impact`,
      options,
    );
    return body;
  }

  /** Issues vouchers; the answer is the only one that ever carries their full codes. */
  async issueVouchers(
    sovereign: string,
    request: IssueVouchersRequest,
    options?: ApiRequestOptions,
  ): Promise<IssuedVoucher[]> {
    const { body } = await this.transport.request<{
      vouchers: IssuedVoucher[];
    }>('POST', `/v1/sovereigns/${sovereignSegment(sovereign)}/vouchers`, {
      ...options,
      body: request,
    });
    if (!Array.isArray(body?.vouchers)) {
      throw new ServiceUnavailableError(
        'Voucher issue answered without a vouchers list',
      );
    }
    return body.vouchers;
  }

  async updateVoucher(
    sovereign: string,
    id: string,
    patch: VoucherPatch,
    options?: ApiRequestOptions,
  ): Promise<Voucher> {
    const { body } = await this.transport.request<{ voucher: Voucher }>(
      'PATCH',
      `/v1/sovereigns/${sovereignSegment(sovereign)}/vouchers/${seg(id)}`,
      { ...options, body: patch },
    );
    return body.voucher;
  }

  async revokeVoucher(
    sovereign: string,
    id: string,
    options?: ApiRequestOptions,
  ): Promise<void> {
    await this.transport.request(
      'DELETE',
      `/v1/sovereigns/${sovereignSegment(sovereign)}/vouchers/${seg(id)}`,
      options,
    );
  }

  /**
   * Checks a code without redeeming it; works signed out. A code that cannot be redeemed (400, 404, 410 with the
   * reason in the error body, or 429) is an answer, not an error. Anything else (5xx, a broken proxy) throws.
   */
  async previewVoucher(
    code: string,
    sovereign?: string,
    options?: ApiRequestOptions,
  ): Promise<VoucherPreview> {
    const path = '/v1/vouchers/preview';
    const res = await this.transport.send('POST', path, {
      ...options,
      body: { code, ...(sovereign ? { sovereign } : {}) },
    });
    if (res.status === 429) {
      const retryAfter = Number(res.headers.get('retry-after'));
      return {
        valid: false,
        reason: 'rate-limited',
        ...(Number.isFinite(retryAfter) && retryAfter > 0
          ? { retryAfterSeconds: retryAfter }
          : {}),
      };
    }
    if (res.status === 200) {
      const body = await res.json();
      return {
        valid: true,
        credit: body.credit,
        expiresAt: body.expiresAt ?? null,
        ...(typeof body.sovereign === 'string'
          ? { sovereign: body.sovereign }
          : {}),
        ...(typeof body.description === 'string'
          ? { description: body.description }
          : {}),
      };
    }
    const fallback = reasonByStatus[res.status];
    if (!fallback) throw await this.transport.error('POST', path, res);
    const reason = refusalOf(await ResponseError.fromResponse(res))?.reason;
    return {
      valid: false,
      reason: invalidReasons.includes(reason as VoucherInvalidReason)
        ? (reason as VoucherInvalidReason)
        : fallback,
    };
  }

  /**
   * Redeems a code; the backend creates the Organization in the same transaction. Refusals (unknown, expired,
   * slug taken, …) become a {@link VoucherRedeemRejectedError} with the router's own explanation.
   */
  async redeemVoucher(
    request: RedeemVoucherRequest,
    options?: ApiRequestOptions,
  ): Promise<VoucherRedemption> {
    const { body } = await this.transport.request<{
      redemption: VoucherRedemption;
    }>('POST', '/v1/vouchers/redeem', { ...options, body: request });
    return body.redemption;
  }

  /** Undoes a redemption (backend services only): restores the credit and the redemption count. */
  async rollbackRedemption(
    redemptionId: string,
    options?: ApiRequestOptions,
  ): Promise<VoucherRedemption> {
    const { body } = await this.transport.request<{
      redemption: VoucherRedemption;
    }>(
      'POST',
      `/v1/vouchers/redemptions/${seg(redemptionId)}/rollback`,
      options,
    );
    return body.redemption;
  }
}
