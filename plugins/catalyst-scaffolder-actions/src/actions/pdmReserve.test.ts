import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { exampleDomain } from './exampleSovereign';
import { createPdmReserveAction } from './pdmReserve';

describe('catalyst:pdm:reserve', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
    // What the register step before it recorded.
    env.apis.registerSovereign('omantel-omani-works', {
      fqdn: 'omantel.omani.works',
      owner: 'group:default/team-b',
    });
    env.apis.registerSovereign('omantel-om', { fqdn: 'omantel.om' });
  });
  afterEach(() => env.cleanup());

  const input = {
    fqdn: 'omantel.omani.works',
    entityName: 'omantel-omani-works',
    domain: exampleDomain,
  };
  const action = () =>
    createPdmReserveAction({
      registry: env.registry,
      pdm: env.pdm,
      keeper: env.keeper,
      ttlSeconds: 3600,
    });

  it('reserves as catalyst/<taskId> with the configured TTL and hands it to the keeper', async () => {
    const { ctx, outputs } = createActionContext({
      input,
      workspacePath: env.workspacePath,
      taskId: 'task-7',
    });
    await action().handler(ctx);
    const row = env.apis.allocations.get('omantel.omani.works');
    expect(row).toMatchObject({
      state: 'reserved',
      createdBy: 'catalyst/task-7',
      owner: 'group:default/team-b',
    });
    expect(outputs.reservationToken).toBe(row.reservationToken);
    expect(Date.parse(outputs.expiresAt) - Date.now()).toBeGreaterThan(
      3500_000,
    );
    expect(await env.keeper.tracked('task-7')).toMatchObject({
      fqdn: 'omantel.omani.works',
      ttlSeconds: 3600,
    });
    // The zone's DNS-01 setup, public facts only: the key's secret never becomes a step output.
    expect(outputs.dns01).toEqual({
      zone: 'omantel.omani.works',
      nameserver: 'ns1.openova.io:53',
      keyName: 'dns01.omantel.omani.works',
      algorithm: 'hmac-sha256',
    });
    const secret = env.apis.dns01Secrets.get('omantel.omani.works')!;
    expect(JSON.stringify(outputs)).not.toContain(secret);
  });

  it('refuses to reserve for a Sovereign that is not registered or is held by another task, before asking PDM', async () => {
    env.apis.registerSovereign('omantel-omani-works', {
      fqdn: 'omantel.omani.works',
      taskId: 'task-victim',
      phase: 'ready',
    });
    const held = createActionContext({
      input,
      workspacePath: env.workspacePath,
      taskId: 'task-attacker',
    });
    await expect(action().handler(held.ctx)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('held by task task-victim'),
    });
    env.apis.sovereigns.clear();
    const unregistered = createActionContext({
      input,
      workspacePath: env.workspacePath,
    });
    await expect(action().handler(unregistered.ctx)).rejects.toThrow(
      /is not registered/,
    );
    expect(env.apis.server.requests.filter(r => r.pluginId === 'pdm')).toEqual(
      [],
    );
  });

  it('is idempotent on a retried step: the checkpoint returns the first reservation', async () => {
    const checkpoints = new Map<string, unknown>();
    const first = createActionContext({
      input,
      workspacePath: env.workspacePath,
      checkpoints,
    });
    await action().handler(first.ctx);
    const second = createActionContext({
      input,
      workspacePath: env.workspacePath,
      checkpoints,
    });
    await action().handler(second.ctx);
    expect(second.outputs.reservationToken).toBe(
      first.outputs.reservationToken,
    );
    expect(
      env.apis.server.requests.filter(r => r.path.endsWith('/reserve')),
    ).toHaveLength(1);
  });

  it('gets its own reservation back when the backend died before the checkpoint recorded it', async () => {
    const first = createActionContext({
      input,
      workspacePath: env.workspacePath,
      taskId: 'task-8',
    });
    await action().handler(first.ctx);
    // A recovered run of the same task, without the checkpoint (the crash came before it was written).
    const second = createActionContext({
      input,
      workspacePath: env.workspacePath,
      taskId: 'task-8',
    });
    await action().handler(second.ctx);
    const row = env.apis.allocations.get('omantel.omani.works');
    expect(row).toMatchObject({
      state: 'reserved',
      createdBy: 'catalyst/task-8',
    });
    // PDM answered the re-run with the same reservation: nothing was released or taken anew.
    expect(second.outputs.reservationToken).toBe(row.reservationToken);
    expect(second.outputs.reservationToken).toBe(
      first.outputs.reservationToken,
    );
    expect(
      env.apis.server.requests.filter(
        r => r.pluginId === 'pdm' && r.path.includes('/release'),
      ),
    ).toEqual([]);
    expect(await env.keeper.tracked('task-8')).toMatchObject({
      fqdn: 'omantel.omani.works',
    });

    // Another task's run never gets it.
    const other = createActionContext({
      input,
      workspacePath: env.workspacePath,
      taskId: 'task-9',
    });
    await expect(action().handler(other.ctx)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(env.apis.allocations.get('omantel.omani.works')).toMatchObject({
      createdBy: 'catalyst/task-8',
      reservationToken: row.reservationToken,
    });
  });

  it("waits while its own previous run's reservation is still pending, then takes it over", async () => {
    // A recovered run of task-8 whose first run died during PDM's DNS work: PDM answers 409 "still being reserved
    // by catalyst/task-8" until half the pending window has passed, then hands the row over under a new token.
    env.apis.allocations.set('omantel.omani.works', {
      poolDomain: 'omani.works',
      subdomain: 'omantel',
      state: 'reserved',
      reservedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 120_000).toISOString(),
      createdBy: 'catalyst/task-8',
      pending: true,
      takeoverAt: Date.now() + 1_000,
    });
    const { ctx, outputs } = createActionContext({
      input,
      workspacePath: env.workspacePath,
      taskId: 'task-8',
    });
    await createPdmReserveAction({
      registry: env.registry,
      pdm: env.pdm,
      keeper: env.keeper,
      ttlSeconds: 3600,
      pendingRetryMs: 200,
    }).handler(ctx);
    const row = env.apis.allocations.get('omantel.omani.works');
    expect(row.pending).toBeUndefined();
    expect(outputs.reservationToken).toBe(row.reservationToken);
    expect(
      env.apis.server.requests.filter(
        r => r.pluginId === 'pdm' && r.path.endsWith('/reserve'),
      ).length,
    ).toBeGreaterThan(1);
    expect(await env.keeper.tracked('task-8')).toMatchObject({
      fqdn: 'omantel.omani.works',
    });
  });

  it("does not wait for another task's pending reservation", async () => {
    env.apis.allocations.set('omantel.omani.works', {
      poolDomain: 'omani.works',
      subdomain: 'omantel',
      state: 'reserved',
      reservedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 120_000).toISOString(),
      createdBy: 'catalyst/task-8',
      pending: true,
      takeoverAt: Date.now() + 60_000,
    });
    const { ctx } = createActionContext({
      input,
      workspacePath: env.workspacePath,
      taskId: 'task-9',
    });
    await expect(action().handler(ctx)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(
      env.apis.server.requests.filter(
        r => r.pluginId === 'pdm' && r.path.endsWith('/reserve'),
      ),
    ).toHaveLength(1);
  });

  it('fails with a ConflictError when the name is already taken, and tracks nothing', async () => {
    env.apis.allocations.set('omantel.omani.works', { state: 'active' });
    const { ctx } = createActionContext({
      input,
      workspacePath: env.workspacePath,
    });
    await expect(action().handler(ctx)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(await env.keeper.tracked('task-1')).toBeUndefined();
  });

  it('creates the BYO zone and outputs its nameservers', async () => {
    const { ctx, outputs } = createActionContext({
      input: {
        fqdn: 'omantel.om',
        entityName: 'omantel-om',
        domain: { mode: 'byo-manual', byoDomain: 'omantel.om' },
      },
      workspacePath: env.workspacePath,
    });
    await action().handler(ctx);
    expect(env.apis.byoZones.has('omantel.om')).toBe(true);
    expect(outputs).toMatchObject({
      reservationToken: '',
      nameservers: ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'],
    });
    expect(outputs.ds).toHaveLength(1);
    expect(outputs.dns01).toMatchObject({
      keyName: `dns01.${outputs.dns01.zone}`,
    });
  });

  it('refuses a domain that does not match the FQDN', async () => {
    const { ctx } = createActionContext({
      input: { ...input, fqdn: 'other.omani.works' },
      workspacePath: env.workspacePath,
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      /does not match omantel\.omani\.works/,
    );
  });
});
