import { mockServices } from '@backstage/backend-test-utils';
import execa from 'execa';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';
import { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { VoucherClient } from '../clients/VoucherClient';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { loadReleaseValues } from '../overlay/releaseValues';
import { createActionContext } from '../__testUtils__/createActionContext';
import { exampleReleases } from './exampleSovereign';
import { createOverlayRenderAction } from './overlayRender';
import { createVoucherRedeemAction } from './voucherRedeem';
import { VoucherTestApi } from '../__testUtils__/VoucherTestApi';

const data = loadCatalystData();
const FQDN = 'omantel.omani.works';
const SOVEREIGN = 'omantel-omani-works';
const OVERLAY = `clusters/${FQDN}`;

describe('catalyst:voucher:redeem (real bare GitOps repository)', () => {
  let api: VoucherTestApi;
  let root: string;
  let remote: string;
  let workspacePath: string;

  beforeEach(async () => {
    api = new VoucherTestApi();
    await api.start();
    api.addSovereign({
      name: SOVEREIGN,
      fqdn: FQDN,
      blueprints: ['bp-cilium@1.1.1', 'bp-flux@1.1.2', 'bp-grafana@1.0.0'],
    });
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'voucher-redeem-'));
    remote = path.join(root, 'gitops.git');
    await execa('git', [
      'init',
      '-q',
      '--bare',
      '--initial-branch=main',
      remote,
    ]);
    workspacePath = path.join(root, 'workspace');
    await fs.mkdir(workspacePath);
    // The Sovereign's overlay as provisioning committed it.
    const render = createActionContext({
      input: { fqdn: FQDN, releases: exampleReleases },
      workspacePath,
    });
    const releaseValues = loadReleaseValues();
    await createOverlayRenderAction({
      releaseValues: () => releaseValues,
    }).handler(render.ctx);
    await repository(`file://${remote}`)().writeOverlay({
      fqdn: FQDN,
      sourceDir: path.join(workspacePath, OVERLAY),
      message: 'Sovereign overlay',
    });
  });

  afterEach(async () => {
    await api.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  function repository(repoUrl: string) {
    return () =>
      new GitOpsRepository({
        repoUrl,
        branch: 'main',
        author: { name: 'Catalyst', email: 'catalyst@example.com' },
        logger: mockServices.logger.mock(),
      });
  }

  function action(repoUrl = `file://${remote}`) {
    const deps = { discovery: api.discovery, auth: mockServices.auth() };
    return createVoucherRedeemAction({
      vouchers: new VoucherClient(deps),
      registry: new SovereignRegistryClient(deps),
      repository: repository(repoUrl),
      data: () => data,
      chartPullSecret: 'ghcr-pull',
    });
  }

  async function run(input: Record<string, unknown>, repoUrl?: string) {
    const tmp = await fs.mkdtemp(path.join(root, 'step-'));
    const context = createActionContext({ input, workspacePath });
    context.ctx.createTemporaryDirectory = async () => tmp;
    const promise = action(repoUrl).handler(context.ctx);
    return { ...context, promise };
  }

  const git = async (args: string[]) =>
    (await execa('git', args, { cwd: remote })).stdout.trim();

  const redeemRequests = () =>
    api.server.requests.filter(r => r.path === '/v1/vouchers/redeem');

  it('redeems as the user, commits the Organization with its first App and touches nothing else', async () => {
    const code = api.addVoucher(SOVEREIGN);
    const before = (await git(['ls-tree', '-r', 'main', OVERLAY])).split('\n');
    const step = await run({
      code,
      sovereign: `sovereign:default/${SOVEREIGN}`,
      organizationName: 'Muscat Bakery',
      organizationSlug: 'muscat-bakery',
      firstApp: 'blueprint:default/bp-grafana',
    });
    await step.promise;

    const [redeem] = redeemRequests();
    expect(redeem.authorization).toContain('"obo":"user:default/mock"');
    expect(redeem.body).toEqual({
      code,
      sovereign: `sovereign:default/${SOVEREIGN}`,
      // The first App is recorded on the Organization, so its page names it.
      organization: {
        name: 'Muscat Bakery',
        slug: 'muscat-bakery',
        firstApp: 'bp-grafana',
      },
    });
    expect(step.outputs).toMatchObject({
      organizationRef: `group:${SOVEREIGN}/muscat-bakery`,
      namespace: 'tenant-muscat-bakery',
      firstApp: 'bp-grafana',
      credit: { amount: 100, currency: 'OMR' },
      path: `${OVERLAY}/tenants/muscat-bakery`,
      commitSha: await git(['rev-parse', 'main']),
    });

    const after = (await git(['ls-tree', '-r', 'main', OVERLAY])).split('\n');
    for (const line of before) {
      if (line.endsWith(`${OVERLAY}/kustomization.yaml`)) continue;
      expect(after).toContain(line);
    }
    expect(
      (
        await git([
          'ls-tree',
          '-r',
          '--name-only',
          'main',
          `${OVERLAY}/tenants`,
        ])
      )
        .split('\n')
        .sort(),
    ).toEqual([
      `${OVERLAY}/tenants/kustomization.yaml`,
      `${OVERLAY}/tenants/muscat-bakery/grafana.yaml`,
      `${OVERLAY}/tenants/muscat-bakery/kustomization.yaml`,
      `${OVERLAY}/tenants/muscat-bakery/namespace.yaml`,
    ]);

    // Flux's view: the whole overlay renders, and the tenant's release installs the Sovereign's grafana version.
    const checkout = path.join(root, 'checkout');
    await execa('git', ['clone', '-q', remote, checkout]);
    const rendered = yaml
      .parseAllDocuments(
        (await execa('kubectl', ['kustomize', path.join(checkout, OVERLAY)]))
          .stdout,
      )
      .map(d => d.toJSON());
    const release = rendered.find(
      o =>
        o.kind === 'HelmRelease' &&
        o.metadata.namespace === 'tenant-muscat-bakery',
    );
    expect(release.spec.chart.spec).toEqual({
      chart: 'bp-grafana',
      version: '1.0.0',
      sourceRef: {
        kind: 'HelmRepository',
        name: 'bp-grafana',
        namespace: 'tenant-muscat-bakery',
      },
    });
    expect(release.spec.targetNamespace).toBe('tenant-muscat-bakery');
    expect(release.spec.values.tenant).toMatchObject({
      slug: 'muscat-bakery',
      name: 'Muscat Bakery',
    });
    expect(
      rendered.some(
        o =>
          o.kind === 'Namespace' && o.metadata.name === 'tenant-muscat-bakery',
      ),
    ).toBe(true);
    // The platform releases are all still rendered.
    expect(
      rendered.filter(
        o => o.kind === 'HelmRelease' && o.metadata.namespace === 'flux-system',
      ),
    ).toHaveLength(exampleReleases.length);

    expect(step.logged()).not.toContain(code);
    expect(step.logged()).toContain(`group:${SOVEREIGN}/muscat-bakery`);
  });

  it('rolls the redemption back when the commit fails, so the code can be used again', async () => {
    const code = api.addVoucher(SOVEREIGN);
    const broken = await run(
      {
        code,
        sovereign: SOVEREIGN,
        organizationName: 'Muscat Bakery',
        organizationSlug: 'muscat-bakery',
        firstApp: 'bp-grafana',
      },
      `file://${path.join(root, 'missing.git')}`,
    );
    const error = await broken.promise.catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(
      /^Could not commit Organization muscat-bakery to the GitOps repository \(.*\)\. The redemption was rolled back: no credit was lost, Organization muscat-bakery was not created, and the voucher code can be used again\.$/,
    );
    expect(error.message).not.toContain(code);
    expect(broken.logged()).not.toContain(code);

    const rollback = api.server.requests.find(r =>
      r.path.endsWith('/rollback'),
    );
    // Rollback is for services only: the plugin's own token, on behalf of no user.
    expect(rollback?.authorization).not.toContain('obo');
    expect([...api.redemptions.values()]).toEqual([
      expect.objectContaining({ rolledBack: true }),
    ]);
    expect(api.vouchers.get(code)?.used).toBe(0);

    // The same code (single use) now redeems for real.
    const retry = await run({
      code,
      sovereign: SOVEREIGN,
      organizationName: 'Muscat Bakery',
      organizationSlug: 'muscat-bakery',
      firstApp: 'bp-grafana',
    });
    await retry.promise;
    expect(retry.outputs.organizationRef).toBe(
      `group:${SOVEREIGN}/muscat-bakery`,
    );
    expect(api.vouchers.get(code)?.used).toBe(1);
  });

  it('says so when the rollback fails as well, naming the redemption to roll back', async () => {
    const code = api.addVoucher(SOVEREIGN);
    api.failRollback = true;
    const step = await run(
      {
        code,
        sovereign: SOVEREIGN,
        organizationName: 'Muscat Bakery',
        organizationSlug: 'muscat-bakery',
      },
      `file://${path.join(root, 'missing.git')}`,
    );
    const error = await step.promise.catch(e => e);
    const [redemptionId] = [...api.redemptions.keys()];
    expect(error.message).toMatch(
      /rolling back redemption .* failed too .*Ask a platform administrator to roll back redemption/,
    );
    expect(error.message).toContain(redemptionId);
    expect(error.message).not.toContain(code);
  });

  it('commits only the namespace when there is no first App', async () => {
    const code = api.addVoucher(SOVEREIGN);
    const step = await run({
      code,
      sovereign: SOVEREIGN,
      organizationName: 'Sohar Logistics',
      organizationSlug: 'sohar-logistics',
      firstApp: '',
    });
    await step.promise;
    expect(step.outputs.firstApp).toBe('');
    expect(
      await git([
        'ls-tree',
        '--name-only',
        'main',
        `${OVERLAY}/tenants/sohar-logistics/`,
      ]),
    ).toBe(
      [
        `${OVERLAY}/tenants/sohar-logistics/kustomization.yaml`,
        `${OVERLAY}/tenants/sohar-logistics/namespace.yaml`,
      ].join('\n'),
    );
  });

  it('refuses what it can check before any credit moves', async () => {
    const code = api.addVoucher(SOVEREIGN);
    const base = {
      code,
      sovereign: SOVEREIGN,
      organizationName: 'Muscat Bakery',
      organizationSlug: 'muscat-bakery',
    };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [
        { organizationSlug: 'kube-bakery' },
        /organizationSlug: 'kube-bakery' is reserved/,
      ],
      [{ organizationSlug: 'Bakery!' }, /organizationSlug: must be 3-32/],
      [
        { firstApp: 'bp-librechat' },
        /firstApp: bp-librechat is not installed on Sovereign omantel-omani-works; it offers bp-grafana/,
      ],
      [
        { firstApp: 'bp-harbor' },
        /firstApp: bp-harbor is part of every Sovereign's platform/,
      ],
      [{ firstApp: 'bp-nope' }, /firstApp: there is no Blueprint bp-nope/],
      [
        { firstApp: 'component:default/gitea' },
        /firstApp: "component:default\/gitea" is not a Blueprint/,
      ],
      [
        { sovereign: 'nowhere-omani-works' },
        /Sovereign 'nowhere-omani-works' is not in the registry/,
      ],
    ];
    for (const [change, message] of cases) {
      const step = await run({ ...base, ...change });
      await expect(step.promise).rejects.toThrow(message);
    }
    expect(redeemRequests()).toHaveLength(0);
    expect(api.vouchers.get(code)?.used).toBe(0);
  });

  it('takes no tenant for a Sovereign that is not ready, before any credit moves', async () => {
    const code = api.addVoucher(SOVEREIGN);
    const head = await git(['rev-parse', 'main']);
    for (const phase of ['provisioning', 'decommissioning', 'decommissioned']) {
      api.sovereigns.get(SOVEREIGN).phase = phase;
      const step = await run({
        code,
        sovereign: SOVEREIGN,
        organizationName: 'Late Tenant',
        organizationSlug: 'late-tenant',
      });
      await expect(step.promise).rejects.toThrow(
        `Sovereign ${FQDN} is ${phase}: it accepts new Organizations only when ready`,
      );
    }
    expect(redeemRequests()).toHaveLength(0);
    expect(api.vouchers.get(code)?.used).toBe(0);
    expect(await git(['rev-parse', 'main'])).toBe(head);
  });

  it("passes the backend's refusal on and commits nothing", async () => {
    const code = api.addVoucher(SOVEREIGN, 1);
    const head = await git(['rev-parse', 'main']);
    await (
      await run({
        code,
        sovereign: SOVEREIGN,
        organizationName: 'First',
        organizationSlug: 'first-org',
      })
    ).promise;
    const second = await run({
      code,
      sovereign: SOVEREIGN,
      organizationName: 'Second',
      organizationSlug: 'second-org',
    });
    await expect(second.promise).rejects.toMatchObject({
      name: 'ConflictError',
      reason: 'exhausted',
      message: 'This voucher has reached its redemption limit',
    });
    expect(await git(['rev-list', '--count', `${head}..main`])).toBe('1');
    expect(second.logged()).not.toContain(code);
  });
});
