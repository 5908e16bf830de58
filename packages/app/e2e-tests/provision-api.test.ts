import { test, expect, APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installableComponents, provisionValues } from './support/portal';

/**
 * Provision and decommission a Sovereign through the scaffolder API of the real portal (packages/backend with
 * app-config.yaml's embedded defaults), as `./catalyst test` starts it: the local PowerDNS, the local GitOps
 * remote and the sandbox OpenTofu module. Results are checked with git, kubectl and dig, not with Catalyst code.
 *
 * Env (exported by scripts/lib/portal.sh): PLAYWRIGHT_URL (the portal; the backend serves the app),
 * CATALYST_GITOPS_REPO_URL or CATALYST_DATA_DIR, PDNS_DNS_PORT or CATALYST_TEST_PDNS_DNS_PORT.
 * Against `./catalyst start`, set PLAYWRIGHT_BACKEND_URL=http://localhost:7007,
 * CATALYST_DATA_DIR=.data/local and PDNS_DNS_PORT=5354.
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

const subdomain = `api${Date.now().toString(36)}`;
const fqdn = `${subdomain}.omani.works`;
// sovereignEntityName (catalyst-common) for a short FQDN: hyphens doubled, dots as hyphens.
const entityName = fqdn.replace(/-/g, '--').replace(/\./g, '-');
// A Hetzner-shaped token: the sandbox module never sends it anywhere.
const hetznerToken = 'e2e0'.repeat(16);

test.describe.configure({ mode: 'serial' });

async function guestHeaders(request: APIRequestContext) {
  const res = await request.post(`${backend}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.ok(), await res.text()).toBe(true);
  const token = (await res.json()).backstageIdentity.token;
  return { Authorization: `Bearer ${token}` };
}

async function runTask(
  request: APIRequestContext,
  templateName: string,
  values: Record<string, unknown>,
  secrets: Record<string, string>,
) {
  const headers = await guestHeaders(request);
  const created = await request.post(`${backend}/api/scaffolder/v2/tasks`, {
    headers,
    data: { templateRef: `template:default/${templateName}`, values, secrets },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  let status = 'open';
  await expect
    .poll(
      async () => {
        const res = await request
          .get(`${backend}/api/scaffolder/v2/tasks/${id}`, { headers })
          .catch(() => undefined);
        // A development backend restarts on code changes: keep polling through a refused connection.
        if (!res?.ok()) return true;
        status = (await res.json()).status;
        return ['open', 'processing'].includes(status);
      },
      { timeout: 120_000, intervals: [500] },
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

async function sovereignPhase(request: APIRequestContext) {
  const res = await request.get(
    `${backend}/api/catalog/entities/by-name/sovereign/default/${entityName}`,
    { headers: await guestHeaders(request) },
  );
  return res.ok() ? (await res.json()).spec : undefined;
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

function withClone<T>(fn: (dir: string) => T): T {
  const parent = mkdtempSync(path.join(tmpdir(), 'catalyst-api-e2e-'));
  const dir = path.join(parent, 'repo');
  try {
    execFileSync('git', ['clone', '--quiet', gitopsRepo!, dir]);
    return fn(dir);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

test.beforeAll(() => {
  expect(
    gitopsRepo,
    'CATALYST_GITOPS_REPO_URL or CATALYST_DATA_DIR must name the GitOps remote',
  ).toBeTruthy();
  expect(
    dnsPort,
    'PDNS_DNS_PORT or CATALYST_TEST_PDNS_DNS_PORT must name the PowerDNS port',
  ).toBeTruthy();
});

test('provision-sovereign over the scaffolder API: overlay in git, records in PowerDNS, Sovereign ready', async ({
  request,
}) => {
  const headers = await guestHeaders(request);
  const data = await (
    await request.get(`${backend}/api/catalyst/v1/catalog-data`, { headers })
  ).json();
  const components = installableComponents(data);

  const task = await runTask(
    request,
    'provision-sovereign',
    provisionValues(subdomain, {
      orgName: 'Catalyst API E2E',
      hetznerProjectId: 'proj_api_e2e',
      components,
    }),
    { hetznerToken },
  );
  expect(task.status, task.log).toBe('completed');
  expect(task.log).not.toContain(hetznerToken);

  await expect
    .poll(async () => (await sovereignPhase(request))?.phase, {
      timeout: 60_000,
    })
    .toBe('ready');
  const spec = await sovereignPhase(request);
  const ip = spec.endpoints.loadBalancerIp;
  expect(ip).toMatch(/^203\.0\.113\.\d+$/);

  for (const name of [
    fqdn,
    `*.${fqdn}`,
    `anything.${fqdn}`,
    `console.${fqdn}`,
    `api.${fqdn}`,
    `gitea.${fqdn}`,
    `harbor.${fqdn}`,
  ]) {
    expect(dig(name), name).toEqual([ip]);
  }

  const head = execFileSync(
    'git',
    ['ls-remote', gitopsRepo!, 'refs/heads/main'],
    { encoding: 'utf8' },
  ).split(/\s+/)[0];
  expect(head).toMatch(/^[0-9a-f]{40}$/);
  withClone(dir => {
    const commits = execFileSync(
      'git',
      ['log', '--format=%H', '--', `clusters/${fqdn}`],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(commits).toContain(spec.gitops.commitSha);
    const rendered = execFileSync(
      'kubectl',
      ['kustomize', path.join(dir, 'clusters', fqdn)],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(rendered).toMatch(/^kind: HelmRelease$/m);
    expect(rendered).not.toMatch(/\$\{|SOVEREIGN_FQDN_PLACEHOLDER/);
  });
});

test('decommission-sovereign over the scaffolder API: zone gone, overlay removed, Sovereign decommissioned', async ({
  request,
}) => {
  const task = await runTask(
    request,
    'decommission-sovereign',
    {
      sovereign: `sovereign:default/${entityName}`,
      confirmFqdn: fqdn,
      hetznerToken: '*'.repeat(hetznerToken.length),
    },
    { hetznerToken },
  );
  expect(task.status, task.log).toBe('completed');

  expect(dig(`console.${fqdn}`)).toEqual([]);
  const soa = execFileSync(
    'dig',
    ['@127.0.0.1', '-p', String(dnsPort), fqdn, 'SOA', '+noall', '+answer'],
    { encoding: 'utf8' },
  );
  expect(soa).not.toMatch(new RegExp(`^${fqdn.replace(/\./g, '\\.')}\\.\\s`));

  withClone(dir => {
    expect(existsSync(path.join(dir, 'clusters', fqdn))).toBe(false);
    const subject = execFileSync(
      'git',
      ['log', '-1', '--format=%s', '--', `clusters/${fqdn}`],
      { cwd: dir, encoding: 'utf8' },
    ).trim();
    expect(subject).toBe(`Decommission Sovereign ${fqdn}`);
  });

  await expect
    .poll(async () => (await sovereignPhase(request))?.phase, {
      timeout: 60_000,
    })
    .toBe('decommissioned');
});
