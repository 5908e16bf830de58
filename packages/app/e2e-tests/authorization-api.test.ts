import { test, expect, APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  installableComponents,
  provisionValues,
  userToken,
} from './support/portal';

/**
 * Many teams, one portal: the authorization matrix through the real HTTP API of the running portal (the
 * embedded default, as `./catalyst test` starts it), with the seeded users of catalog/org.yaml signed in through
 * the local provider: `bob` (team-b) provisions a Sovereign; `alice` (team-a) then tries every mutation of it, of
 * its domain, of bob's task and of its vouchers and gets 403 (or a refused task) while nothing changes in
 * PowerDNS (dig), the registry, the GitOps repository (git) or the catalog; `bob` and the platform admin `guest`
 * then succeed.
 *
 * Env: as provision-api.test.ts (PLAYWRIGHT_URL, CATALYST_GITOPS_REPO_URL or CATALYST_DATA_DIR, PDNS_DNS_PORT or
 * CATALYST_TEST_PDNS_DNS_PORT).
 */

const backend =
  process.env.PLAYWRIGHT_BACKEND_URL ??
  process.env.PLAYWRIGHT_URL ??
  'http://localhost:7007';
const gitopsRepo =
  process.env.CATALYST_GITOPS_REPO_URL ??
  (process.env.CATALYST_DATA_DIR
    ? `file://${path.resolve(process.env.CATALYST_DATA_DIR, 'gitops.git')}`
    : undefined);
const dnsPort =
  process.env.PDNS_DNS_PORT ?? process.env.CATALYST_TEST_PDNS_DNS_PORT;

const subdomain = `authz${Date.now().toString(36)}`;
const fqdn = `${subdomain}.omani.works`;
const entityName = fqdn.replace(/\./g, '-');
const sovereignRef = `sovereign:default/${entityName}`;
const hetznerToken = 'a1b2'.repeat(16);

test.describe.configure({ mode: 'serial' });

type Who = 'guest' | 'alice' | 'bob';
const tokens: Partial<Record<Who, string>> = {};

async function as(request: APIRequestContext, who: Who) {
  tokens[who] ??= await userToken(request, backend, who);
  return { Authorization: `Bearer ${tokens[who]}` };
}

/** State shared by the serial tests. */
const state: {
  taskId?: string;
  ip?: string;
  voucherId?: string;
  entityUid?: string;
} = {};

async function startTask(
  request: APIRequestContext,
  who: Who,
  templateName: string,
  values: Record<string, unknown>,
  secrets: Record<string, string> = {},
) {
  const created = await request.post(`${backend}/api/scaffolder/v2/tasks`, {
    headers: await as(request, who),
    data: { templateRef: `template:default/${templateName}`, values, secrets },
  });
  expect(created.status(), await created.text()).toBe(201);
  return (await created.json()).id as string;
}

async function finish(request: APIRequestContext, who: Who, id: string) {
  const headers = await as(request, who);
  let status = 'open';
  await expect
    .poll(
      async () => {
        const res = await request
          .get(`${backend}/api/scaffolder/v2/tasks/${id}`, { headers })
          .catch(() => undefined);
        if (!res?.ok()) return true;
        status = (await res.json()).status;
        return ['open', 'processing'].includes(status);
      },
      { timeout: 180_000, intervals: [500] },
    )
    .toBe(false);
  const events = await (
    await request.get(`${backend}/api/scaffolder/v2/tasks/${id}/events`, {
      headers,
    })
  ).json();
  const log = events
    .map((e: any) => `[${e.body.stepId ?? '-'}] ${e.body.message ?? ''}`)
    .join('\n');
  return { status, log };
}

function dig(name: string, type = 'A'): string[] {
  return execFileSync(
    'dig',
    ['@127.0.0.1', '-p', String(dnsPort), name, type, '+short', '+time=2'],
    { encoding: 'utf8' },
  )
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean);
}

function remoteHead(): string {
  return execFileSync('git', ['ls-remote', gitopsRepo!, 'refs/heads/main'], {
    encoding: 'utf8',
  }).split(/\s+/)[0];
}

function overlayExists(): boolean {
  const parent = mkdtempSync(path.join(tmpdir(), 'catalyst-authz-e2e-'));
  const dir = path.join(parent, 'repo');
  try {
    execFileSync('git', ['clone', '--quiet', gitopsRepo!, dir]);
    return existsSync(path.join(dir, 'clusters', fqdn, 'kustomization.yaml'));
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

async function registryRecord(request: APIRequestContext) {
  const res = await request.get(
    `${backend}/api/catalyst/v1/sovereigns/${entityName}`,
    { headers: await as(request, 'guest') },
  );
  expect(res.status()).toBe(200);
  return res.json();
}

async function catalogEntity(request: APIRequestContext) {
  const res = await request.get(
    `${backend}/api/catalog/entities/by-name/sovereign/default/${entityName}`,
    { headers: await as(request, 'guest') },
  );
  return res.ok() ? res.json() : undefined;
}

/** Everything alice must not be able to change, as the platform sees it. */
async function snapshot(request: APIRequestContext) {
  const record = await registryRecord(request);
  const entity = await catalogEntity(request);
  const vouchers = await request.get(
    `${backend}/api/catalyst/v1/sovereigns/${entityName}/vouchers`,
    { headers: await as(request, 'guest') },
  );
  const task = await request.get(
    `${backend}/api/scaffolder/v2/tasks/${state.taskId}`,
    { headers: await as(request, 'guest') },
  );
  return {
    record: {
      owner: record.owner,
      fqdn: record.fqdn,
      phase: record.phase,
      updatedAt: record.updatedAt,
      adminEmail: record.adminEmail,
    },
    entity: entity && {
      uid: entity.metadata.uid,
      owner: entity.spec.owner,
      phase: entity.spec.phase,
    },
    dns: {
      apex: dig(fqdn),
      console: dig(`console.${fqdn}`),
      ns: dig(fqdn, 'NS'),
    },
    gitHead: remoteHead(),
    overlay: overlayExists(),
    vouchers: (await vouchers.json()).vouchers,
    taskStatus: (await task.json()).status,
  };
}

test.beforeAll(() => {
  expect(gitopsRepo, 'the GitOps remote must be named').toBeTruthy();
  expect(dnsPort, 'the PowerDNS port must be named').toBeTruthy();
});

test('local sign-in: seeded users only, each with their catalog groups', async ({
  request,
}) => {
  for (const [who, group] of [
    ['guest', 'group:default/platform-team'],
    ['alice', 'group:default/team-a'],
    ['bob', 'group:default/team-b'],
  ] as const) {
    const res = await request.post(
      `${backend}/api/auth/local/refresh?user=${who}`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    expect(res.status(), await res.text()).toBe(200);
    const { identity } = (await res.json()).backstageIdentity;
    expect(identity.userEntityRef).toBe(`user:default/${who}`);
    expect(identity.ownershipEntityRefs).toContain(group);
  }
  const unknown = await request.post(
    `${backend}/api/auth/local/refresh?user=mallory`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  expect(unknown.status()).toBe(404);
  expect(await unknown.text()).toContain(
    "there is no catalog user 'user:default/mallory'",
  );
  const missing = await request.post(`${backend}/api/auth/local/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(missing.status()).toBe(400);
});

test('bob (team-b) provisions a Sovereign, which team-b then owns', async ({
  request,
}) => {
  const data = await (
    await request.get(`${backend}/api/catalyst/v1/catalog-data`, {
      headers: await as(request, 'bob'),
    })
  ).json();
  const components = installableComponents(data);
  state.taskId = await startTask(
    request,
    'bob',
    'provision-sovereign',
    provisionValues(subdomain, {
      orgName: 'Team B Bank',
      orgIndustry: 'Banking',
      hetznerProjectId: 'proj_team_b',
      sshPublicKey:
        'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl bob@team-b',
      components,
      orgEmail: 'ops@team-b.example',
    }),
    { hetznerToken },
  );
  const task = await finish(request, 'bob', state.taskId);
  expect(task.status, task.log).toBe('completed');

  const record = await registryRecord(request);
  expect(record.owner).toBe('group:default/team-b');
  expect(record.phase).toBe('ready');
  state.ip = record.outputs.loadBalancerIp;
  expect(dig(`console.${fqdn}`)).toEqual([state.ip]);
  await expect
    .poll(async () => (await catalogEntity(request))?.spec?.phase, {
      timeout: 60_000,
    })
    .toBe('ready');
  const entity = await catalogEntity(request);
  state.entityUid = entity.metadata.uid;
  // The catalog is everyone's: it shows the owner, never the admin e-mail or the request.
  expect(entity.spec.owner).toBe('group:default/team-b');
  expect(JSON.stringify(entity)).not.toContain('ops@team-b.example');
  expect(JSON.stringify(entity)).not.toContain('proj_team_b');

  // bob administers its vouchers: issue one (the code is shown once, in this answer only).
  const issued = await request.post(
    `${backend}/api/catalyst/v1/sovereigns/${entityName}/vouchers`,
    {
      headers: await as(request, 'bob'),
      data: {
        credit: { amount: 50, currency: 'OMR' },
        description: 'team-b launch',
        maxRedemptions: 3,
      },
    },
  );
  expect(issued.status(), await issued.text()).toBe(201);
  state.voucherId = (await issued.json()).vouchers[0].id;
});

test('alice (team-a) sees only the public view of team-b’s Sovereign', async ({
  request,
}) => {
  const alice = await as(request, 'alice');
  const one = await request.get(
    `${backend}/api/catalyst/v1/sovereigns/${entityName}`,
    { headers: alice },
  );
  expect(one.status()).toBe(200);
  const view = await one.json();
  expect(view).toMatchObject({
    name: entityName,
    fqdn,
    owner: 'group:default/team-b',
    phase: 'ready',
  });
  for (const hidden of [
    'request',
    'adminEmail',
    'gitops',
    'outputs',
    'taskId',
    'topology',
  ]) {
    expect(view, hidden).not.toHaveProperty(hidden);
  }
  expect(JSON.stringify(view)).not.toContain('ops@team-b.example');
  expect(JSON.stringify(view)).not.toContain('proj_team_b');

  const list = await request.get(`${backend}/api/catalyst/v1/sovereigns`, {
    headers: alice,
  });
  const listed = (await list.json()).items.find(
    (s: any) => s.name === entityName,
  );
  expect(listed).toBeDefined();
  expect(listed).not.toHaveProperty('request');
  expect(listed).not.toHaveProperty('adminEmail');

  for (const accept of ['application/json', 'text/event-stream']) {
    const events = await request.get(
      `${backend}/api/catalyst/v1/sovereigns/${entityName}/events`,
      { headers: { ...alice, Accept: accept } },
    );
    expect(events.status(), accept).toBe(403);
  }

  // bob and the admin read the full record and its events.
  for (const who of ['bob', 'guest'] as const) {
    const full = await (
      await request.get(`${backend}/api/catalyst/v1/sovereigns/${entityName}`, {
        headers: await as(request, who),
      })
    ).json();
    expect(full.adminEmail, who).toBe('ops@team-b.example');
    expect(full.request.hetznerProjectId, who).toBe('proj_team_b');
    const events = await request.get(
      `${backend}/api/catalyst/v1/sovereigns/${entityName}/events`,
      { headers: await as(request, who) },
    );
    expect(events.status(), who).toBe(200);
    expect((await events.json()).items.length, who).toBeGreaterThan(0);
  }
});

test('every mutation of team-b’s Sovereign, domain, task and vouchers by alice is refused and changes nothing', async ({
  request,
}) => {
  test.setTimeout(300_000);
  const before = await snapshot(request);
  expect(before.overlay).toBe(true);
  expect(before.dns.console).toEqual([state.ip]);
  expect(before.vouchers).toHaveLength(1);
  const alice = await as(request, 'alice');
  const json = { ...alice, 'Content-Type': 'application/json' };
  const record = await registryRecord(request);

  const refused: Array<[string, () => Promise<{ status(): number }>]> = [
    // The registry: take over the record, delete it, change its phase or history.
    [
      'PUT registry record with owner team-a',
      () =>
        request.put(`${backend}/api/catalyst/v1/sovereigns/${entityName}`, {
          headers: json,
          data: {
            ...Object.fromEntries(
              Object.entries(record).filter(
                ([k]) =>
                  ![
                    'name',
                    'createdAt',
                    'updatedAt',
                    'phaseChangedAt',
                  ].includes(k),
              ),
            ),
            owner: 'group:default/team-a',
          },
        }),
    ],
    [
      'DELETE registry record',
      () =>
        request.delete(`${backend}/api/catalyst/v1/sovereigns/${entityName}`, {
          headers: alice,
        }),
    ],
    [
      'POST phase',
      () =>
        request.post(
          `${backend}/api/catalyst/v1/sovereigns/${entityName}/phase`,
          {
            headers: json,
            data: { phase: 'decommissioned', message: 'gone' },
          },
        ),
    ],
    [
      'POST event',
      () =>
        request.post(
          `${backend}/api/catalyst/v1/sovereigns/${entityName}/events`,
          { headers: json, data: { level: 'info', message: 'planted' } },
        ),
    ],
    // PDM: release the pool name, reserve/commit over it, list every allocation, rewrite or drop its zone.
    [
      'PDM release',
      () =>
        request.delete(`${backend}/api/pdm/v1/pool/omani.works/release`, {
          headers: json,
          data: { subdomain },
        }),
    ],
    [
      'PDM reserve',
      () =>
        request.post(`${backend}/api/pdm/v1/pool/omani.works/reserve`, {
          headers: json,
          data: { subdomain: `${subdomain}x`, createdBy: 'alice' },
        }),
    ],
    [
      'PDM commit',
      () =>
        request.post(`${backend}/api/pdm/v1/pool/omani.works/commit`, {
          headers: json,
          data: {
            subdomain,
            reservationToken: 'guessed',
            sovereignFQDN: fqdn,
            loadBalancerIP: '198.51.100.66',
          },
        }),
    ],
    [
      'PDM list',
      () =>
        request.get(`${backend}/api/pdm/v1/pool/omani.works/list`, {
          headers: alice,
        }),
    ],
    [
      'PDM BYO records over the zone',
      () =>
        request.post(`${backend}/api/pdm/v1/byo/${fqdn}/records`, {
          headers: json,
          data: { loadBalancerIP: '198.51.100.66' },
        }),
    ],
    [
      'PDM BYO delete zone',
      () =>
        request.delete(`${backend}/api/pdm/v1/byo/${fqdn}/zone`, {
          headers: alice,
        }),
    ],
    [
      'PDM BYO create zone',
      () =>
        request.post(`${backend}/api/pdm/v1/byo/${fqdn}/zone`, {
          headers: json,
          data: {},
        }),
    ],
    // bob's task: read it, its log and output, follow it, cancel or retry it.
    [
      'read bob’s task',
      () =>
        request.get(`${backend}/api/scaffolder/v2/tasks/${state.taskId}`, {
          headers: alice,
        }),
    ],
    [
      'read bob’s task events (log and output)',
      () =>
        request.get(
          `${backend}/api/scaffolder/v2/tasks/${state.taskId}/events`,
          { headers: alice },
        ),
    ],
    [
      'cancel bob’s task',
      () =>
        request.post(
          `${backend}/api/scaffolder/v2/tasks/${state.taskId}/cancel`,
          { headers: alice },
        ),
    ],
    [
      'retry bob’s task',
      () =>
        request.post(
          `${backend}/api/scaffolder/v2/tasks/${state.taskId}/retry`,
          { headers: json, data: {} },
        ),
    ],
    // Vouchers of team-b's Sovereign.
    [
      'issue vouchers',
      () =>
        request.post(
          `${backend}/api/catalyst/v1/sovereigns/${entityName}/vouchers`,
          {
            headers: json,
            data: { credit: { amount: 1000, currency: 'OMR' } },
          },
        ),
    ],
    [
      'list vouchers',
      () =>
        request.get(
          `${backend}/api/catalyst/v1/sovereigns/${entityName}/vouchers`,
          { headers: alice },
        ),
    ],
    [
      'change a voucher',
      () =>
        request.patch(
          `${backend}/api/catalyst/v1/sovereigns/${entityName}/vouchers/${state.voucherId}`,
          { headers: json, data: { maxRedemptions: 0 } },
        ),
    ],
    [
      'revoke a voucher',
      () =>
        request.delete(
          `${backend}/api/catalyst/v1/sovereigns/${entityName}/vouchers/${state.voucherId}`,
          { headers: alice },
        ),
    ],
    // The catalog entity: remove or refresh it.
    [
      'delete the catalog entity',
      () =>
        request.delete(
          `${backend}/api/catalog/entities/by-uid/${state.entityUid}`,
          { headers: alice },
        ),
    ],
    [
      'refresh the catalog entity',
      () =>
        request.post(`${backend}/api/catalog/refresh`, {
          headers: json,
          data: { entityRef: sovereignRef },
        }),
    ],
  ];
  const statuses: Record<string, number> = {};
  for (const [name, call] of refused) {
    statuses[name] = (await call()).status();
  }
  expect(statuses).toEqual(
    Object.fromEntries(refused.map(([name]) => [name, 403])),
  );

  // alice's task list does not show bob's task.
  const aliceTasks = await (
    await request.get(`${backend}/api/scaffolder/v2/tasks`, { headers: alice })
  ).json();
  expect(aliceTasks.tasks.map((t: any) => t.id)).not.toContain(state.taskId);

  // Templates anyone may run still refuse to act on a Sovereign alice does not own, before changing anything.
  const decommission = await finish(
    request,
    'alice',
    await startTask(
      request,
      'alice',
      'decommission-sovereign',
      {
        sovereign: sovereignRef,
        confirmFqdn: fqdn,
        hetznerToken: '*'.repeat(hetznerToken.length),
      },
      { hetznerToken },
    ),
  );
  expect(decommission.status).toBe('failed');
  expect(decommission.log).toContain(
    `user:default/alice may not change the phase of Sovereign ${fqdn}`,
  );

  // Nothing changed: PowerDNS, the registry, the GitOps repository, the catalog, the vouchers, bob's task.
  expect(await snapshot(request)).toEqual(before);
});

test('bob and the platform admin may do what alice may not', async ({
  request,
}) => {
  test.setTimeout(300_000);
  // The task's owner and the admin read bob's task, including its log.
  for (const who of ['bob', 'guest'] as const) {
    const task = await request.get(
      `${backend}/api/scaffolder/v2/tasks/${state.taskId}`,
      { headers: await as(request, who) },
    );
    expect(task.status(), who).toBe(200);
    const events = await request.get(
      `${backend}/api/scaffolder/v2/tasks/${state.taskId}/events`,
      { headers: await as(request, who) },
    );
    expect(events.status(), who).toBe(200);
  }

  // bob changes his voucher; the admin lists them and revokes it.
  const changed = await request.patch(
    `${backend}/api/catalyst/v1/sovereigns/${entityName}/vouchers/${state.voucherId}`,
    { headers: await as(request, 'bob'), data: { maxRedemptions: 5 } },
  );
  expect(changed.status(), await changed.text()).toBe(200);
  const listed = await request.get(
    `${backend}/api/catalyst/v1/sovereigns/${entityName}/vouchers`,
    { headers: await as(request, 'guest') },
  );
  expect(listed.status()).toBe(200);
  expect(
    (await listed.json()).vouchers.find((v: any) => v.id === state.voucherId)
      .maxRedemptions,
  ).toBe(5);
  const revoked = await request.delete(
    `${backend}/api/catalyst/v1/sovereigns/${entityName}/vouchers/${state.voucherId}`,
    { headers: await as(request, 'guest') },
  );
  expect(revoked.status(), await revoked.text()).toBe(200);

  // The admin may list every PDM allocation; a user may not (checked above).
  const allocations = await request.get(
    `${backend}/api/pdm/v1/pool/omani.works/list`,
    { headers: await as(request, 'guest') },
  );
  expect(allocations.status()).toBe(200);
  expect(JSON.stringify(await allocations.json())).toContain(subdomain);

  // bob decommissions his own Sovereign: zone gone, overlay removed, phase decommissioned.
  const task = await finish(
    request,
    'bob',
    await startTask(
      request,
      'bob',
      'decommission-sovereign',
      {
        sovereign: sovereignRef,
        confirmFqdn: fqdn,
        hetznerToken: '*'.repeat(hetznerToken.length),
      },
      { hetznerToken },
    ),
  );
  expect(task.status, task.log).toBe('completed');
  expect(dig(`console.${fqdn}`)).toEqual([]);
  expect(overlayExists()).toBe(false);
  expect((await registryRecord(request)).phase).toBe('decommissioned');
});
