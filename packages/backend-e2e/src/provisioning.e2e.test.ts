import { PowerDnsClient } from '@catalyst/plugin-pdm-backend';
import { FakeCloudflareServer } from '@catalyst/plugin-pdm-backend/testing';
import execa from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  cloneRepo,
  dig,
  remoteHead,
  servesZone,
} from './harness/externalChecks';
import {
  powerDnsFromEnv,
  ProvisioningTestBackend,
} from './harness/ProvisioningTestBackend';
import {
  DomainInput,
  entityNameOf,
  fqdnOf,
  provisionValues,
  randomLabel,
  SANDBOX_HETZNER_TOKEN,
} from './harness/sovereignParameters';

/**
 * End to end through the real scaffolder API of an in-process backend (scaffolder, catalog, catalyst-backend,
 * PDM and the Catalyst actions) with the embedded defaults: the repository's templates, a real PowerDNS, a bare
 * GitOps repository and the sandbox OpenTofu module run by the terraform binary.
 *
 * Integration test: needs CATALYST_TEST_PDNS_URL / _API_KEY / _DNS_PORT (skipped without them only when CI is
 * unset), plus git, dig, kubectl and terraform on PATH.
 */
const pdns = powerDnsFromEnv();
const describeWithPdns = pdns ? describe : describe.skip;

jest.setTimeout(300_000);

/** The records PDM writes for every Sovereign, queried by name (`*` through an arbitrary label). */
const CANONICAL_NAMES = (fqdn: string) => [
  fqdn,
  `*.${fqdn}`,
  `${randomLabel('any')}.${fqdn}`,
  `console.${fqdn}`,
  `api.${fqdn}`,
  `gitea.${fqdn}`,
  `harbor.${fqdn}`,
];

async function provision(
  backend: ProvisioningTestBackend,
  domain: DomainInput,
  secrets = {},
) {
  const id = await backend.startTask(
    'provision-sovereign',
    provisionValues(domain),
    { hetznerToken: SANDBOX_HETZNER_TOKEN, ...secrets },
  );
  return backend.waitForTask(id);
}

async function catalogEntity(backend: ProvisioningTestBackend, fqdn: string) {
  const res = await backend.request(
    'GET',
    `/api/catalog/entities/by-name/sovereign/default/${entityNameOf(fqdn)}`,
  );
  return res.status === 200 ? res.body : undefined;
}

async function waitForPhase(
  backend: ProvisioningTestBackend,
  fqdn: string,
  phase: string,
) {
  let entity: any;
  await backend.waitFor(
    `Sovereign ${fqdn} in phase ${phase}`,
    60_000,
    async () => {
      entity = await catalogEntity(backend, fqdn);
      return entity?.spec?.phase === phase;
    },
  );
  return entity;
}

async function poolRows(
  backend: ProvisioningTestBackend,
  poolDomain: string,
): Promise<string[]> {
  const res = await backend.request(
    'GET',
    `/api/pdm/v1/pool/${poolDomain}/list`,
  );
  expect(res.status).toBe(200);
  return res.body.allocations.map((a: any) => a.subdomain);
}

async function expectCanonicalRecords(fqdn: string, ip: string) {
  for (const name of CANONICAL_NAMES(fqdn)) {
    expect({ name, answers: await dig(pdns!.dnsPort, name) }).toEqual({
      name,
      answers: [ip],
    });
  }
}

/** The Sovereign entity lists the six records PDM wrote (docs/pdm.md §5.3), for its "DNS records" table. */
function expectEntityDnsRecords(entity: any, fqdn: string, ip: string) {
  expect(entity.spec.dnsRecords).toEqual(
    ['', '*.', 'console.', 'api.', 'gitea.', 'harbor.'].map(prefix => ({
      name: `${prefix}${fqdn}`,
      type: 'A',
      ttl: 300,
      content: ip,
    })),
  );
}

async function expectOverlayCommitted(
  backend: ProvisioningTestBackend,
  fqdn: string,
  commitSha?: string,
) {
  const head = await remoteHead(backend.gitopsRepo);
  expect(head).toMatch(/^[0-9a-f]{40}$/);
  const clone = await cloneRepo(backend.gitopsRepo);
  try {
    const commits = await clone.log(`clusters/${fqdn}`);
    expect(commits.length).toBeGreaterThanOrEqual(1);
    if (commitSha) expect(commits.map(c => c.sha)).toContain(commitSha);
    const rendered = await clone.kustomize(`clusters/${fqdn}`);
    expect(rendered).toMatch(/^kind: HelmRelease$/m);
    expect(rendered).toContain(fqdn);
    expect(rendered).not.toMatch(/\$\{|SOVEREIGN_FQDN_PLACEHOLDER/);
  } finally {
    await clone.remove();
  }
}

/**
 * TLS of a provisioned Sovereign (docs/tls.md): PDM holds the zone's DNS-01 key, the overlay names it in the
 * ClusterIssuers, the key's secret reached the cluster bootstrap (the tofu state's user-data) and nothing else:
 * not the task log, not the entity, not git.
 */
async function expectTls(
  backend: ProvisioningTestBackend,
  fqdn: string,
  entity: any,
  taskLog: string,
) {
  const key = await new PowerDnsClient({
    baseUrl: pdns!.url,
    apiKey: pdns!.apiKey,
  }).getTsigKey(`dns01.${fqdn}`);
  expect(key?.secret).toBeTruthy();
  expect(entity.spec.tls).toMatchObject({
    issuer: 'letsencrypt-production',
    dnsNames: [`*.${fqdn}`, fqdn],
    dns01: { zone: fqdn, keyName: `dns01.${fqdn}`, algorithm: 'hmac-sha256' },
  });
  expect(JSON.stringify(entity)).not.toContain(key!.secret);
  expect(taskLog).not.toContain(key!.secret);
  const clone = await cloneRepo(backend.gitopsRepo);
  try {
    const rendered = await clone.kustomize(`clusters/${fqdn}`);
    expect(rendered).toMatch(/^kind: ClusterIssuer$/m);
    expect(rendered).toContain(`tsigKeyName: dns01.${fqdn}`);
    expect(rendered).toContain(`- '*.${fqdn}'`);
    expect(rendered).not.toContain(key!.secret);
  } finally {
    await clone.remove();
  }
  const state = await fs.readFile(
    path.join(backend.workDirOf(fqdn), 'terraform.tfstate'),
    'utf8',
  );
  expect(state).toContain(Buffer.from(key!.secret).toString('base64'));
}

function expectTaskCompleted(task: { status: string; log: string }) {
  if (task.status !== 'completed') {
    throw new Error(`Task ended ${task.status}:\n${task.log}`);
  }
}

/**
 * Starts a pool Sovereign with the slow module, cancels the task while tofu applies (holding the state lock),
 * then checks that nothing is left behind and that a second run on the same Sovereign gets the lock.
 */
async function cancelWhileApplyingThenRetry(
  backend: ProvisioningTestBackend,
  checkNoLockLeft: (fqdn: string) => Promise<void>,
  whileApplying?: (fqdn: string) => Promise<void>,
) {
  const domain = {
    mode: 'pool' as const,
    poolDomain: 'omani.works',
    subdomain: randomLabel('cancel'),
  };
  const fqdn = fqdnOf(domain);
  await backend.useModule('slow');
  try {
    const taskId = await backend.startTask(
      'provision-sovereign',
      provisionValues(domain),
      { hetznerToken: SANDBOX_HETZNER_TOKEN },
    );
    await backend.waitForLog(
      taskId,
      /terraform_data\.slow: (Creating|Provisioning)/,
    );
    await whileApplying?.(fqdn);
    await backend.cancelTask(taskId);
    const task = await backend.waitForTask(taskId);
    // The scaffolder records the cancellation as an event and ends the task failed.
    expect(task.events.some(e => e.type === 'cancelled')).toBe(true);
    expect(['cancelled', 'failed']).toContain(task.status);
    expect(task.log).toMatch(/sending SIGINT/);
    expect(task.log).not.toMatch(/\[commit\] Beginning step/);
  } finally {
    await backend.useModule('sandbox');
  }

  await checkNoLockLeft(fqdn);
  // The provisioner's sleep went down with tofu.
  const { stdout: processes } = await execa('ps', ['-eo', 'args']);
  expect(processes.split('\n').filter(p => p.includes('sleep 120'))).toEqual(
    [],
  );

  await backend.waitFor(`${fqdn} released in PDM`, 30_000, async () =>
    (await poolRows(backend, 'omani.works')).every(s => s !== domain.subdomain),
  );
  expect(await servesZone(backend.pdns.dnsPort, fqdn)).toBe(false);
  await waitForPhase(backend, fqdn, 'failed');

  // The same Sovereign again: the state is not locked, the name is free.
  const retry = await provision(backend, domain);
  expectTaskCompleted(retry);
  const entity = await waitForPhase(backend, fqdn, 'ready');
  await expectCanonicalRecords(fqdn, entity.spec.endpoints.loadBalancerIp);
}

describeWithPdns('provision-sovereign end to end (integration)', () => {
  let backend: ProvisioningTestBackend;
  const cloudflare = new FakeCloudflareServer();
  const cloudflareToken = `cf${randomLabel('tok')}`;

  beforeAll(async () => {
    const cloudflareUrl = await cloudflare.start();
    cloudflare.addToken(cloudflareToken, 'acct-e2e');
    backend = await ProvisioningTestBackend.start({
      pdns: pdns!,
      registrarBaseUrls: { cloudflare: cloudflareUrl },
    });
    await backend.waitForTemplates();
  });

  afterAll(async () => {
    await backend?.stop();
    await cloudflare.stop();
  });

  const poolDomain = {
    mode: 'pool' as const,
    poolDomain: 'omani.works',
    subdomain: randomLabel(),
  };
  const poolFqdn = fqdnOf(poolDomain);

  it('provisions a pool Sovereign: overlay commit, PowerDNS records and a ready Sovereign entity', async () => {
    const task = await provision(backend, poolDomain);
    expectTaskCompleted(task);

    const entity = await waitForPhase(backend, poolFqdn, 'ready');
    const ip = entity.spec.endpoints.loadBalancerIp;
    expect(ip).toMatch(/^203\.0\.113\.\d+$/);
    expect(JSON.stringify(entity)).not.toContain(SANDBOX_HETZNER_TOKEN);
    expect(task.log).not.toContain(SANDBOX_HETZNER_TOKEN);

    await expectCanonicalRecords(poolFqdn, ip);
    expectEntityDnsRecords(entity, poolFqdn, ip);
    await expectOverlayCommitted(
      backend,
      poolFqdn,
      entity.spec.gitops?.commitSha,
    );
    await expectTls(backend, poolFqdn, entity, task.log);
    expect(await poolRows(backend, 'omani.works')).toContain(
      poolDomain.subdomain,
    );

    // Phase 1: ready because the cluster's HelmReleases are, through the kubeconfig the cluster handed back.
    const name = poolFqdn.replace(/\./g, '-');
    const record = await backend.request(
      'GET',
      `/api/catalyst/v1/sovereigns/${name}`,
    );
    expect(record.body.kubeconfigReceivedAt).toBeDefined();
    expect(record.body.readiness.components.length).toBeGreaterThan(1);
    expect(record.body.readiness.components.every((c: any) => c.ready)).toBe(
      true,
    );
    const events = await backend.request(
      'GET',
      `/api/catalyst/v1/sovereigns/${name}/events`,
    );
    const phases = events.body.items.map((e: any) => e.phase);
    expect(phases.indexOf('bootstrapping')).toBeGreaterThan(-1);
    expect(phases.indexOf('bootstrapping')).toBeLessThan(
      phases.lastIndexOf('ready'),
    );
    expect(task.log).toContain('platform components ready');
  });

  it('provisions a byo-manual Sovereign: its own zone answers, the Sovereign waits for the delegation', async () => {
    const domain = {
      mode: 'byo-manual' as const,
      byoDomain: `${randomLabel('byo')}.net`,
    };
    const fqdn = fqdnOf(domain);
    const task = await provision(backend, domain);
    expectTaskCompleted(task);

    const entity = await waitForPhase(backend, fqdn, 'dns-pending');
    expect(await servesZone(pdns!.dnsPort, fqdn)).toBe(true);
    await expectCanonicalRecords(fqdn, entity.spec.endpoints.loadBalancerIp);
    expectEntityDnsRecords(entity, fqdn, entity.spec.endpoints.loadBalancerIp);
    await expectOverlayCommitted(backend, fqdn, entity.spec.gitops?.commitSha);
    expect(task.log).toContain(`Set the NS records of ${fqdn}`);
    await expectTls(backend, fqdn, entity, task.log);

    // A second provisioning of the same domain is refused at validation; the first keeps everything.
    const record = (
      await backend.request(
        'GET',
        `/api/catalyst/v1/sovereigns/${entityNameOf(fqdn)}`,
      )
    ).body;
    const again = await provision(backend, domain);
    expect(again.status).toBe('failed');
    expect(again.log).toContain(`domain: ${fqdn} is held by Sovereign ${fqdn}`);
    expect(again.log).not.toMatch(/\[register\] Beginning step/);
    expect(
      (
        await backend.request(
          'GET',
          `/api/catalyst/v1/sovereigns/${entityNameOf(fqdn)}`,
        )
      ).body,
    ).toEqual(record);
    expect(await servesZone(pdns!.dnsPort, fqdn)).toBe(true);
    await expectCanonicalRecords(fqdn, entity.spec.endpoints.loadBalancerIp);
  });

  it('provisions a byo-api Sovereign: the registrar gets the PDM nameservers', async () => {
    const domain = {
      mode: 'byo-api' as const,
      byoDomain: `${randomLabel('api')}.org`,
      registrar: 'cloudflare',
    };
    const fqdn = fqdnOf(domain);
    cloudflare.addZone({ name: fqdn, account: 'acct-e2e' });
    const task = await provision(backend, domain, {
      registrarToken: cloudflareToken,
    });
    expectTaskCompleted(task);
    expect(task.log).not.toContain(cloudflareToken);

    const entity = await waitForPhase(backend, fqdn, 'ready');
    await expectCanonicalRecords(fqdn, entity.spec.endpoints.loadBalancerIp);
    expectEntityDnsRecords(entity, fqdn, entity.spec.endpoints.loadBalancerIp);
    await expectOverlayCommitted(backend, fqdn, entity.spec.gitops?.commitSha);
    expect(cloudflare.nameServersOf(fqdn)).toEqual([
      'ns1.openova.io',
      'ns2.openova.io',
      'ns3.openova.io',
    ]);
    const ns = await dig(pdns!.dnsPort, fqdn, 'NS');
    expect(ns.sort()).toEqual([
      'ns1.openova.io.',
      'ns2.openova.io.',
      'ns3.openova.io.',
    ]);
  });

  it('x.<pool> ready, then a byo-manual x-<pool> by the same user: the first Sovereign keeps its record, work dir, state, overlay and DNS', async () => {
    const label = randomLabel('x');
    const first = {
      mode: 'pool' as const,
      poolDomain: 'omani.works',
      subdomain: label,
    };
    const firstFqdn = fqdnOf(first);
    const second = {
      mode: 'byo-manual' as const,
      byoDomain: `${label}-omani.works`,
    };
    const secondFqdn = fqdnOf(second);
    // The pair that shared one key when dots became hyphens.
    expect(firstFqdn.replace(/\./g, '-')).toBe(secondFqdn.replace(/\./g, '-'));
    expect(entityNameOf(firstFqdn)).not.toBe(entityNameOf(secondFqdn));

    expectTaskCompleted(await provision(backend, first));
    const firstEntity = await waitForPhase(backend, firstFqdn, 'ready');
    const firstIp = firstEntity.spec.endpoints.loadBalancerIp;
    const recordOf = async (fqdn: string) =>
      (
        await backend.request(
          'GET',
          `/api/catalyst/v1/sovereigns/${entityNameOf(fqdn)}`,
        )
      ).body;
    const firstRecord = await recordOf(firstFqdn);
    const stateFile = path.join(
      backend.workDirOf(firstFqdn),
      'terraform.tfstate',
    );
    const firstState = await fs.readFile(stateFile, 'utf8');
    const overlayHistory = async (fqdn: string) => {
      const clone = await cloneRepo(backend.gitopsRepo);
      try {
        return await clone.log(`clusters/${fqdn}`);
      } finally {
        await clone.remove();
      }
    };
    const firstOverlay = await overlayHistory(firstFqdn);

    const task = await provision(backend, second);
    expectTaskCompleted(task);
    // tofu ran in its own, fresh directory: it created the machines instead of changing someone else's.
    expect(task.log).toMatch(
      /Plan: [1-9]\d* to add, 0 to change, 0 to destroy/,
    );
    expect(task.log).toMatch(
      /Apply complete! Resources: [1-9]\d* added, 0 changed, 0 destroyed/,
    );
    const secondEntity = await waitForPhase(backend, secondFqdn, 'dns-pending');
    expect(secondEntity.metadata.name).toBe(entityNameOf(secondFqdn));
    expect(backend.workDirOf(secondFqdn)).not.toBe(
      backend.workDirOf(firstFqdn),
    );
    await expect(
      fs.access(path.join(backend.workDirOf(secondFqdn), 'terraform.tfstate')),
    ).resolves.toBeUndefined();

    // The first Sovereign is untouched: registry record, catalog entity, state, overlay history and DNS.
    expect(await recordOf(firstFqdn)).toEqual(firstRecord);
    const firstAfter = await catalogEntity(backend, firstFqdn);
    expect(firstAfter.spec.phase).toBe('ready');
    expect(firstAfter.spec.fqdn).toBe(firstFqdn);
    expect(await fs.readFile(stateFile, 'utf8')).toBe(firstState);
    expect(await overlayHistory(firstFqdn)).toEqual(firstOverlay);
    await expectCanonicalRecords(firstFqdn, firstIp);
    expect(await servesZone(pdns!.dnsPort, firstFqdn)).toBe(true);
    expect(await poolRows(backend, 'omani.works')).toContain(label);
    // And the second one has its own of everything.
    expect((await recordOf(secondFqdn)).fqdn).toBe(secondFqdn);
    expect(await overlayHistory(secondFqdn)).not.toEqual([]);
  });

  it('refuses a task without a proper hetznerToken at creation (400), before any step runs', async () => {
    const domain = {
      mode: 'pool' as const,
      poolDomain: 'omani.works',
      subdomain: randomLabel('nosecret'),
    };
    const create = (secrets: Record<string, string>) =>
      backend.request('POST', '/api/scaffolder/v2/tasks', {
        templateRef: 'template:default/provision-sovereign',
        values: provisionValues(domain),
        secrets,
      });

    const missing = await create({});
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: any) => e.message)).toEqual([
      'secrets.hetznerToken is required',
    ]);
    const short = await create({ hetznerToken: 'h'.repeat(63) });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toMatch(
      /hetznerToken.*minimum length of 64/,
    );
    expect(JSON.stringify(short.body)).not.toContain('h'.repeat(63));

    // Nothing started: no Sovereign, no reservation.
    expect(await catalogEntity(backend, fqdnOf(domain))).toBeUndefined();
    const record = await backend.request(
      'GET',
      `/api/catalyst/v1/sovereigns/${entityNameOf(fqdnOf(domain))}`,
    );
    expect(record.status).toBe(404);
    expect(await poolRows(backend, 'omani.works')).not.toContain(
      domain.subdomain,
    );
  });

  it("fails with tofu's message when the module is broken and releases the reservation", async () => {
    const domain = {
      mode: 'pool' as const,
      poolDomain: 'omani.works',
      subdomain: randomLabel('broken'),
    };
    const fqdn = fqdnOf(domain);
    await backend.useModule('broken');
    try {
      const task = await provision(backend, domain);
      expect(task.status).toBe('failed');
      expect(task.log).toMatch(/Reference to undeclared input variable/);
      expect(task.log).toMatch(/catalyst_e2e_undeclared/);
    } finally {
      await backend.useModule('sandbox');
    }

    await backend.waitFor(`${fqdn} released in PDM`, 30_000, async () =>
      (
        await poolRows(backend, 'omani.works')
      ).every(s => s !== domain.subdomain),
    );
    expect(await servesZone(pdns!.dnsPort, fqdn)).toBe(false);
    expect(await dig(pdns!.dnsPort, `console.${fqdn}`)).toEqual([]);
    // The compensation also revoked the Sovereign's DNS-01 key.
    expect(
      await new PowerDnsClient({
        baseUrl: pdns!.url,
        apiKey: pdns!.apiKey,
      }).getTsigKey(`dns01.${fqdn}`),
    ).toBeUndefined();
    await waitForPhase(backend, fqdn, 'failed');
  });

  it('cancelled while tofu applies: no state lock is left, the reservation is released and a new run succeeds', async () => {
    await cancelWhileApplyingThenRetry(
      backend,
      async fqdn => {
        const lockFile = path.join(
          backend.workDirOf(fqdn),
          '.terraform.tfstate.lock.info',
        );
        await backend.waitFor('the local state lock to go', 30_000, async () =>
          fs.access(lockFile).then(
            () => false,
            () => true,
          ),
        );
        // The interrupted apply recorded what it had finished.
        await expect(
          fs.access(path.join(backend.workDirOf(fqdn), 'terraform.tfstate')),
        ).resolves.toBeUndefined();
      },
      async fqdn => {
        // tofu holds the local lock while it applies: the cancel really interrupts a locked run.
        await expect(
          fs.access(
            path.join(backend.workDirOf(fqdn), '.terraform.tfstate.lock.info'),
          ),
        ).resolves.toBeUndefined();
      },
    );
  });

  it('decommissions the pool Sovereign: tofu destroy, domain released, overlay removed, phase decommissioned', async () => {
    const entityName = entityNameOf(poolFqdn);
    const before = await catalogEntity(backend, poolFqdn);
    expect(before?.spec?.phase).toBe('ready');
    expect(before.spec.dnsRecords).toHaveLength(6);

    const stateList = () =>
      execa('terraform', ['state', 'list', '-no-color'], {
        cwd: backend.workDirOf(poolFqdn),
      });
    expect((await stateList()).stdout).toMatch(
      /^terraform_data\.load_balancer\["fsn1"\]$/m,
    );

    const id = await backend.startTask(
      'decommission-sovereign',
      {
        sovereign: `sovereign:default/${entityName}`,
        confirmFqdn: poolFqdn,
        hetznerToken: '*'.repeat(SANDBOX_HETZNER_TOKEN.length),
      },
      { hetznerToken: SANDBOX_HETZNER_TOKEN },
    );
    const task = await backend.waitForTask(id);
    expectTaskCompleted(task);
    expect(task.log).toMatch(/Destroy complete|destroyed/);

    // tofu destroy: the state holds no resource any more.
    expect((await stateList()).stdout.trim()).toBe('');

    // PDM release: no row, no zone, no records.
    expect(await poolRows(backend, 'omani.works')).not.toContain(
      poolDomain.subdomain,
    );
    expect(await servesZone(pdns!.dnsPort, poolFqdn)).toBe(false);
    expect(await dig(pdns!.dnsPort, `console.${poolFqdn}`)).toEqual([]);
    // ... and no DNS-01 key: the decommissioned Sovereign can no longer update any zone.
    expect(
      await new PowerDnsClient({
        baseUrl: pdns!.url,
        apiKey: pdns!.apiKey,
      }).getTsigKey(`dns01.${poolFqdn}`),
    ).toBeUndefined();

    // Overlay removal commit.
    const clone = await cloneRepo(backend.gitopsRepo);
    try {
      expect(await clone.exists(`clusters/${poolFqdn}`)).toBe(false);
      const [latest] = await clone.log(`clusters/${poolFqdn}`);
      expect(latest.subject).toBe(`Decommission Sovereign ${poolFqdn}`);
    } finally {
      await clone.remove();
    }

    // Registry and catalog.
    const record = await backend.request(
      'GET',
      `/api/catalyst/v1/sovereigns/${entityName}`,
    );
    expect(record.status).toBe(200);
    expect(record.body.phase).toBe('decommissioned');
    // The release removed the zone, so the Sovereign lists no records any more.
    expect(record.body.dnsRecords).toEqual([]);
    const after = await waitForPhase(backend, poolFqdn, 'decommissioned');
    expect(after.spec.dnsRecords).toEqual([]);
  });
});

const pgConnection = withSslDisabled(
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
);

/** The local test PostgreSQL has no TLS; lib/pq (used by tofu's pg backend) insists on it unless told. */
function withSslDisabled(url: string | undefined): string | undefined {
  if (!url || /[?&]sslmode=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}sslmode=disable`;
}
if (process.env.CATALYST_TEST_REQUIRE_POSTGRES && !pgConnection) {
  throw new Error(
    'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING must be set when CATALYST_TEST_REQUIRE_POSTGRES is',
  );
}
const describeWithPdnsAndPg = pdns && pgConnection ? describe : describe.skip;

describeWithPdnsAndPg(
  'provision-sovereign with the pg state backend (integration)',
  () => {
    let backend: ProvisioningTestBackend;

    beforeAll(async () => {
      backend = await ProvisioningTestBackend.start({
        pdns: pdns!,
        stateBackend: 'pg',
        pgConnectionString: pgConnection,
      });
      await backend.waitForTemplates();
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('cancelled while tofu applies: the PostgreSQL lock is released and a second run on the Sovereign proceeds', async () => {
      await cancelWhileApplyingThenRetry(backend, async fqdn => {
        // No local state at all: state and lock live in the Sovereign's own schema.
        await expect(
          fs.access(path.join(backend.workDirOf(fqdn), 'terraform.tfstate')),
        ).rejects.toThrow();
      });
    });
  },
);
