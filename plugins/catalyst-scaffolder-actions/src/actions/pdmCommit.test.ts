import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { exampleDomain } from './exampleSovereign';
import { createPdmCommitAction } from './pdmCommit';

describe('catalyst:pdm:commit', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  async function reserve() {
    const r = await env.pdm.reserve('omani.works', {
      subdomain: 'omantel',
      createdBy: 'catalyst/task-1',
      ttlSeconds: 600,
    });
    await env.keeper.track({
      taskId: 'task-1',
      entityName: 'omantel-omani-works',
      fqdn: 'omantel.omani.works',
      domain: exampleDomain,
      reservationToken: r.reservationToken,
      ttlSeconds: 600,
    });
    return r.reservationToken;
  }

  it('commits the pool reservation with the LB IP and stops renewals', async () => {
    const token = await reserve();
    const { ctx, outputs } = createActionContext({
      input: {
        fqdn: 'omantel.omani.works',
        domain: exampleDomain,
        reservationToken: token,
        loadBalancerIp: '203.0.113.10',
      },
      workspacePath: env.workspacePath,
    });
    await createPdmCommitAction({ pdm: env.pdm, keeper: env.keeper }).handler(
      ctx,
    );
    expect(env.apis.allocations.get('omantel.omani.works')).toMatchObject({
      state: 'active',
      loadBalancerIP: '203.0.113.10',
      sovereignFQDN: 'omantel.omani.works',
    });
    expect(outputs.recordsWritten).toBe(true);
    // The six canonical records PDM wrote, named as the Sovereign registry keeps them.
    expect(outputs.dnsRecords).toEqual(
      ['', '*.', 'console.', 'api.', 'gitea.', 'harbor.'].map(prefix => ({
        name: `${prefix}omantel.omani.works`,
        type: 'A',
        ttl: 300,
        content: '203.0.113.10',
      })),
    );
    env.apis.taskStates.set('task-1', 'processing');
    await env.keeper.tick();
    expect(env.apis.server.requests.some(r => r.path.endsWith('/renew'))).toBe(
      false,
    );
  });

  it('fails loudly on a wrong token and refuses a non-IPv4 address', async () => {
    await reserve();
    const bad = createActionContext({
      input: {
        fqdn: 'omantel.omani.works',
        domain: exampleDomain,
        reservationToken: 'not-it',
        loadBalancerIp: '203.0.113.10',
      },
      workspacePath: env.workspacePath,
    });
    await expect(
      createPdmCommitAction({ pdm: env.pdm, keeper: env.keeper }).handler(
        bad.ctx,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('token-mismatch'),
    });
    const ip = createActionContext({
      input: {
        fqdn: 'omantel.omani.works',
        domain: exampleDomain,
        reservationToken: 'x',
        loadBalancerIp: '2001:db8::1',
      },
      workspacePath: env.workspacePath,
    });
    await expect(
      createPdmCommitAction({ pdm: env.pdm, keeper: env.keeper }).handler(
        ip.ctx,
      ),
    ).rejects.toThrow(/is not an IPv4 address/);
  });

  it('writes the records of a BYO zone', async () => {
    await env.pdm.createByoZone('omantel.om', {
      createdBy: 'catalyst/task-1',
      sovereignFQDN: 'omantel.om',
    });
    const { ctx, outputs } = createActionContext({
      input: {
        fqdn: 'omantel.om',
        domain: { mode: 'byo-api', byoDomain: 'omantel.om' },
        loadBalancerIp: '203.0.113.10',
      },
      workspacePath: env.workspacePath,
    });
    await createPdmCommitAction({ pdm: env.pdm, keeper: env.keeper }).handler(
      ctx,
    );
    expect(env.apis.byoZones.get('omantel.om')).toEqual({
      createdBy: 'catalyst/task-1',
      records: '203.0.113.10',
    });
    expect(outputs.dnsRecords).toHaveLength(6);
    expect(outputs.dnsRecords).toContainEqual({
      name: 'harbor.omantel.om',
      type: 'A',
      ttl: 300,
      content: '203.0.113.10',
    });
  });

  it('outputs no records when the allocation went active but PDM could not write them (202)', async () => {
    const token = await reserve();
    env.apis.server.setHandler(r =>
      r.path.endsWith('/commit')
        ? {
            status: 202,
            body: {
              warning: 'dns-write-failed',
              detail: 'powerdns patch: status 500',
            },
          }
        : { status: 404 },
    );
    const { ctx, outputs } = createActionContext({
      input: {
        fqdn: 'omantel.omani.works',
        domain: exampleDomain,
        reservationToken: token,
        loadBalancerIp: '203.0.113.10',
      },
      workspacePath: env.workspacePath,
    });
    await createPdmCommitAction({ pdm: env.pdm, keeper: env.keeper }).handler(
      ctx,
    );
    expect(outputs.recordsWritten).toBe(false);
    expect(outputs.dnsRecords).toEqual([]);
  });
});
