import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { VoucherClient } from '../clients/VoucherClient';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createVoucherIssueAction, expiryOf } from './voucherIssue';
import { VoucherTestApi } from '../__testUtils__/VoucherTestApi';

describe('catalyst:voucher:issue', () => {
  let api: VoucherTestApi;
  let action: ReturnType<typeof createVoucherIssueAction>;

  beforeEach(async () => {
    api = new VoucherTestApi();
    await api.start();
    api.addSovereign({
      name: 'omantel-omani-works',
      fqdn: 'omantel.omani.works',
      blueprints: [],
    });
    api.admins.set('omantel-omani-works', ['user:default/mock']);
    action = createVoucherIssueAction({
      vouchers: new VoucherClient({
        discovery: api.discovery,
        auth: mockServices.auth(),
      }),
    });
  });
  afterEach(() => api.stop());

  const input = {
    sovereign: 'sovereign:default/omantel-omani-works',
    credit: { amount: 100, currency: 'omr' },
    count: 3,
    maxRedemptions: 1,
    expiresAt: '2030-12-31',
    description: 'Launch',
  };

  it('issues as the initiating user and puts the codes in the outputs only, never in the log', async () => {
    const { ctx, outputs, logged } = createActionContext({
      input,
      workspacePath: '/tmp',
    });
    await action.handler(ctx);

    const [request] = api.server.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/sovereigns/omantel-omani-works/vouchers');
    // A token minted on behalf of the user, not the plugin's own service token.
    expect(request.authorization).toContain('"obo":"user:default/mock"');
    expect(request.body).toEqual({
      credit: { amount: 100, currency: 'OMR' },
      count: 3,
      maxRedemptions: 1,
      description: 'Launch',
      expiresAt: '2030-12-31T23:59:59.999Z',
    });

    expect(outputs.codes).toHaveLength(3);
    expect(outputs.sovereign).toBe('sovereign:default/omantel-omani-works');
    expect(outputs.codesMarkdown.split('\n')).toEqual(
      outputs.codes.map((c: string) => `- \`${c}\``),
    );
    expect(outputs.vouchers).toHaveLength(3);
    expect(JSON.stringify(outputs.vouchers)).not.toMatch(/"code"/);
    for (const code of outputs.codes) {
      expect(JSON.stringify(outputs.vouchers)).not.toContain(code);
      expect(logged()).not.toContain(code);
    }
    expect(logged()).toContain(
      'Issued 3 voucher(s) of OMR 100 for sovereign:default/omantel-omani-works',
    );
  });

  it('is refused for a user who does not administer the Sovereign', async () => {
    const { ctx, outputs } = createActionContext({
      input,
      workspacePath: '/tmp',
    });
    ctx.getInitiatorCredentials = async () =>
      mockCredentials.user('user:default/eve');
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'Only franchise admins of sovereign:default/omantel-omani-works',
      ),
    });
    expect(outputs).toEqual({});
  });

  it('names the Sovereign that does not exist', async () => {
    const { ctx } = createActionContext({
      input: { ...input, sovereign: 'nowhere-omani-works' },
      workspacePath: '/tmp',
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining("'nowhere-omani-works'"),
    });
  });

  it('refuses a malformed Sovereign ref or expiry before calling the backend', async () => {
    for (const bad of [
      { sovereign: 'group:default/platform' },
      { expiresAt: 'next tuesday' },
    ]) {
      const { ctx } = createActionContext({
        input: { ...input, ...bad },
        workspacePath: '/tmp',
      });
      await expect(action.handler(ctx)).rejects.toThrow(
        /sovereign: "group:default\/platform"|expiresAt: "next tuesday"/,
      );
    }
    expect(api.server.requests).toHaveLength(0);
  });

  it('issues nothing in a dry run', async () => {
    const { ctx, outputs } = createActionContext({
      input,
      workspacePath: '/tmp',
      isDryRun: true,
    });
    await action.handler(ctx);
    expect(api.server.requests).toHaveLength(0);
    expect(outputs.codes).toEqual([]);
  });

  it('reads a calendar day as the end of that day and leaves an empty expiry out', () => {
    expect(expiryOf('2031-01-15')).toBe('2031-01-15T23:59:59.999Z');
    expect(expiryOf('2031-01-15T08:00:00+04:00')).toBe(
      '2031-01-15T04:00:00.000Z',
    );
    expect(expiryOf('')).toBeUndefined();
    expect(expiryOf(undefined)).toBeUndefined();
  });
});
