import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import {
  createRegistrarSetNsAction,
  normalizeNameservers,
} from './registrarSetNs';

const NS = ['NS1.openova.io.', 'ns2.openova.io', 'ns3.openova.io'];

describe('catalyst:registrar:set-ns', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  const input = {
    domain: 'omantel.om',
    registrar: 'cloudflare',
    nameservers: NS,
  };

  it('flips the NS with the token from secrets and checks the read-back', async () => {
    const { ctx, outputs, logged } = createActionContext({
      input,
      workspacePath: env.workspacePath,
      secrets: { registrarToken: env.apis.validRegistrarToken },
    });
    await createRegistrarSetNsAction({ pdm: env.pdm }).handler(ctx);
    expect(env.apis.registrarNameservers.get('omantel.om')).toEqual([
      'ns1.openova.io',
      'ns2.openova.io',
      'ns3.openova.io',
    ]);
    expect(outputs.nameservers).toEqual([
      'ns1.openova.io',
      'ns2.openova.io',
      'ns3.openova.io',
    ]);
    expect(outputs.propagation).toMatch(/minutes/);
    expect(logged()).not.toContain(env.apis.validRegistrarToken);
    expect(JSON.stringify(outputs)).not.toContain(env.apis.validRegistrarToken);
  });

  it('requires the token in secrets and keeps a rejected token out of the error', async () => {
    const missing = createActionContext({
      input,
      workspacePath: env.workspacePath,
    });
    await expect(
      createRegistrarSetNsAction({ pdm: env.pdm }).handler(missing.ctx),
    ).rejects.toThrow(/secrets\.registrarToken is required/);
    const wrong = createActionContext({
      input,
      workspacePath: env.workspacePath,
      secrets: { registrarToken: 'bad-token-123' },
    });
    const error = await createRegistrarSetNsAction({ pdm: env.pdm })
      .handler(wrong.ctx)
      .catch(e => e);
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).toContain('invalid-token');
    expect(error.message).not.toContain('bad-token-123');
  });

  it('fails when the registrar reports a different list', async () => {
    env.apis.server.setHandler(() => ({
      status: 200,
      body: {
        success: true,
        nameservers: ['ns1.openova.io', 'ns9.elsewhere.net'],
        propagation: '1-4 h',
      },
    }));
    const { ctx } = createActionContext({
      input,
      workspacePath: env.workspacePath,
      secrets: { registrarToken: 't' },
    });
    await expect(
      createRegistrarSetNsAction({ pdm: env.pdm }).handler(ctx),
    ).rejects.toThrow(
      /cloudflare reports nameservers \[ns1\.openova\.io, ns9\.elsewhere\.net\] for omantel\.om after the update, expected \[ns1\.openova\.io, ns2\.openova\.io, ns3\.openova\.io\]/,
    );
  });

  it('normalises NS lists for comparison', () => {
    expect(
      normalizeNameservers([
        ' NS2.Openova.io. ',
        'ns1.openova.io',
        'ns1.openova.io.',
      ]),
    ).toEqual(['ns1.openova.io', 'ns2.openova.io']);
  });
});
