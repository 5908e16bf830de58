import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  IssuedVoucher,
  IssueVouchersRequest,
  Voucher,
  VoucherDetail,
  VoucherInvalidReason,
  VoucherPatch,
  VoucherPreview,
  VouchersApi,
} from './VouchersApi';

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

/** Talks to `/api/catalyst/v1/vouchers` and `/api/catalyst/v1/sovereigns/:sovereign/vouchers`. */
export class VouchersClient implements VouchersApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listAdministeredSovereigns(): Promise<string[]> {
    const body = await this.request<{ sovereigns: string[] }>(
      'GET',
      '/v1/vouchers/administered',
    );
    return body.sovereigns;
  }

  async listVouchers(sovereign: string): Promise<Voucher[]> {
    const body = await this.request<{ vouchers: Voucher[] }>(
      'GET',
      `/v1/sovereigns/${sovereignSegment(sovereign)}/vouchers`,
    );
    return body.vouchers;
  }

  getVoucher(sovereign: string, id: string): Promise<VoucherDetail> {
    return this.request<VoucherDetail>(
      'GET',
      `/v1/sovereigns/${sovereignSegment(
        sovereign,
      )}/vouchers/${encodeURIComponent(id)}`,
    );
  }

  async issueVouchers(
    sovereign: string,
    request: IssueVouchersRequest,
  ): Promise<IssuedVoucher[]> {
    const body = await this.request<{ vouchers: IssuedVoucher[] }>(
      'POST',
      `/v1/sovereigns/${sovereignSegment(sovereign)}/vouchers`,
      request,
    );
    return body.vouchers;
  }

  async updateVoucher(
    sovereign: string,
    id: string,
    patch: VoucherPatch,
  ): Promise<Voucher> {
    const body = await this.request<{ voucher: Voucher }>(
      'PATCH',
      `/v1/sovereigns/${sovereignSegment(
        sovereign,
      )}/vouchers/${encodeURIComponent(id)}`,
      patch,
    );
    return body.voucher;
  }

  async revokeVoucher(sovereign: string, id: string): Promise<void> {
    await this.request<unknown>(
      'DELETE',
      `/v1/sovereigns/${sovereignSegment(
        sovereign,
      )}/vouchers/${encodeURIComponent(id)}`,
    );
  }

  /**
   * Maps the preview contract (200 valid, 400/404/410 with a named reason, 429) to a value: a code that cannot
   * be redeemed is an answer, not an error. Anything else (5xx, a broken proxy) throws.
   */
  async previewVoucher(
    code: string,
    sovereign?: string,
  ): Promise<VoucherPreview> {
    const res = await this.send('POST', '/v1/vouchers/preview', {
      code,
      ...(sovereign ? { sovereign } : {}),
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
    if (!fallback) throw await ResponseError.fromResponse(res);
    const body = await res.json().catch(() => ({}));
    const reason = invalidReasons.includes(body?.reason)
      ? (body.reason as VoucherInvalidReason)
      : fallback;
    return { valid: false, reason };
  }

  private async send(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('catalyst');
    return this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const res = await this.send(method, path, body);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
}
