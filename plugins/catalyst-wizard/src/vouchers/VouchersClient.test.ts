import { remoteErrorOf } from '@catalyst/plugin-catalyst-common';
import { VouchersClient } from './VouchersClient';

type Call = { url: string; method: string; body?: unknown };

function setup(respond: (call: Call) => Response) {
  const calls: Call[] = [];
  const fetch = jest.fn(async (url: string, init?: RequestInit) => {
    const call = {
      url,
      method: init?.method ?? 'GET',
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    return respond(call);
  });
  const client = new VouchersClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: { fetch: fetch as any },
  });
  return { client, calls, fetch };
}

const json = (status: number, body: unknown, headers = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

const voucher = {
  id: '0b6c3a52-8f6e-4a3e-9b59-1f9cf4a0c111',
  codeMasked: '••••-••••-••••-•X7K-4',
  sovereign: 'sovereign:default/omantel-omani-works',
  credit: { amount: 100, currency: 'OMR' },
  description: 'Muscat launch',
  state: 'active',
  maxRedemptions: 1,
  timesRedeemed: 0,
  expiresAt: null,
  issuedBy: 'user:default/amal',
  createdAt: '2026-11-20T10:00:00.000Z',
};

describe('VouchersClient', () => {
  it('lists administered Sovereigns and their vouchers under the Sovereign name', async () => {
    const { client, calls } = setup(call =>
      call.url.endsWith('/administered')
        ? json(200, { sovereigns: ['sovereign:default/omantel-omani-works'] })
        : json(200, { vouchers: [voucher] }),
    );
    expect(await client.listAdministeredSovereigns()).toEqual([
      'sovereign:default/omantel-omani-works',
    ]);
    expect(
      await client.listVouchers('sovereign:default/omantel-omani-works'),
    ).toEqual([voucher]);
    expect(calls.map(c => `${c.method} ${c.url}`)).toEqual([
      'GET http://backend/api/catalyst/v1/vouchers/administered',
      'GET http://backend/api/catalyst/v1/sovereigns/omantel-omani-works/vouchers',
    ]);
  });

  it('issues vouchers with a JSON body and returns the codes shown once', async () => {
    const { client, calls } = setup(() =>
      json(201, {
        vouchers: [{ ...voucher, code: 'ABCD-EFGH-JKMN-PQRS-4' }],
      }),
    );
    const issued = await client.issueVouchers('omantel-omani-works', {
      credit: { amount: 100, currency: 'OMR' },
      maxRedemptions: 1,
      count: 1,
    });
    expect(issued[0].code).toBe('ABCD-EFGH-JKMN-PQRS-4');
    expect(calls[0]).toEqual({
      method: 'POST',
      url: 'http://backend/api/catalyst/v1/sovereigns/omantel-omani-works/vouchers',
      body: {
        credit: { amount: 100, currency: 'OMR' },
        maxRedemptions: 1,
        count: 1,
      },
    });
  });

  it('turns a taken vanity code into a ConflictError that keeps the answer', async () => {
    const { client } = setup(() =>
      json(409, {
        error: {
          name: 'ConflictError',
          message: "Voucher code 'OMANTEL-LAUNCH-100' already exists",
        },
        response: { statusCode: 409 },
      }),
    );
    const error = await client
      .issueVouchers('omantel-omani-works', {
        credit: { amount: 100, currency: 'OMR' },
        code: 'OMANTEL-LAUNCH-100',
      })
      .catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toBe(
      "Vouchers POST /v1/sovereigns/omantel-omani-works/vouchers answered 409 ConflictError: Voucher code 'OMANTEL-LAUNCH-100' already exists",
    );
    expect(remoteErrorOf(error)).toEqual({
      status: 409,
      name: 'ConflictError',
      message: "Voucher code 'OMANTEL-LAUNCH-100' already exists",
    });
  });

  it('patches and revokes a voucher by id', async () => {
    const { client, calls } = setup(call =>
      json(200, {
        voucher: {
          ...voucher,
          state: call.method === 'DELETE' ? 'revoked' : 'deactivated',
        },
      }),
    );
    const patched = await client.updateVoucher(
      'sovereign:default/omantel-omani-works',
      voucher.id,
      { active: false },
    );
    expect(patched.state).toBe('deactivated');
    await client.revokeVoucher('omantel-omani-works', voucher.id);
    expect(calls.map(c => `${c.method} ${c.url}`)).toEqual([
      `PATCH http://backend/api/catalyst/v1/sovereigns/omantel-omani-works/vouchers/${voucher.id}`,
      `DELETE http://backend/api/catalyst/v1/sovereigns/omantel-omani-works/vouchers/${voucher.id}`,
    ]);
    expect(calls[0].body).toEqual({ active: false });
  });

  it('maps every preview answer to a value', async () => {
    const answers: Record<string, Response> = {
      OK: json(200, {
        valid: true,
        credit: { amount: 100, currency: 'OMR' },
        expiresAt: '2027-01-01T00:00:00.000Z',
      }),
      UNKNOWN: json(404, {
        error: {
          name: 'VoucherRejectedError',
          message: 'This voucher code is not valid',
          reason: 'unknown',
          statusCode: 404,
        },
        response: { statusCode: 404 },
      }),
      ENDED: json(410, {
        error: {
          name: 'VoucherRejectedError',
          message: 'This voucher has reached its redemption limit',
          reason: 'exhausted',
          statusCode: 410,
        },
        response: { statusCode: 410 },
      }),
      TYPO: json(400, {
        error: {
          name: 'VoucherRejectedError',
          message: 'This code has a typo',
          reason: 'bad-check-character',
          statusCode: 400,
        },
        response: { statusCode: 400 },
      }),
      PROXY404: new Response('<html>not found</html>', { status: 404 }),
      SLOW: json(
        429,
        {
          error: {
            name: 'VoucherRejectedError',
            message: 'Too many voucher checks; try again later',
            reason: 'rate-limited',
            statusCode: 429,
          },
          response: { statusCode: 429 },
        },
        {
          'Retry-After': '30',
        },
      ),
    };
    const { client, calls } = setup(
      call => answers[(call.body as { code: string }).code],
    );
    expect(await client.previewVoucher('OK', 'omantel-omani-works')).toEqual({
      valid: true,
      credit: { amount: 100, currency: 'OMR' },
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
    expect(calls[0].body).toEqual({
      code: 'OK',
      sovereign: 'omantel-omani-works',
    });
    expect(await client.previewVoucher('UNKNOWN')).toEqual({
      valid: false,
      reason: 'unknown',
    });
    expect(calls[1].body).toEqual({ code: 'UNKNOWN' });
    expect(await client.previewVoucher('ENDED')).toEqual({
      valid: false,
      reason: 'exhausted',
    });
    expect(await client.previewVoucher('TYPO')).toEqual({
      valid: false,
      reason: 'bad-check-character',
    });
    expect(await client.previewVoucher('PROXY404')).toEqual({
      valid: false,
      reason: 'unknown',
    });
    expect(await client.previewVoucher('SLOW')).toEqual({
      valid: false,
      reason: 'rate-limited',
      retryAfterSeconds: 30,
    });
  });

  it('throws on a preview failure that is not an answer about the code', async () => {
    const { client } = setup(() =>
      json(500, {
        error: { name: 'Error', message: 'database is down' },
        response: { statusCode: 500 },
      }),
    );
    const error = await client.previewVoucher('OK').catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(remoteErrorOf(error)).toEqual({
      status: 500,
      name: 'Error',
      message: 'database is down',
    });
  });
});
