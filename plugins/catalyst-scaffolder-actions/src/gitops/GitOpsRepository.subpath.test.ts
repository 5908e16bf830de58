import { mockServices } from '@backstage/backend-test-utils';
import execa from 'execa';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { GitOpsRepository } from './GitOpsRepository';

const FQDN = 'omantel.omani.works';
const OVERLAY = `clusters/${FQDN}`;

async function git(cwd: string, args: string[]): Promise<string> {
  return (await execa('git', args, { cwd })).stdout.trim();
}

// Real git over file://: several clones, commits and pushes per test, slow on a busy machine.
jest.setTimeout(60_000);
describe('GitOpsRepository subpath writes (real bare repositories over file://)', () => {
  let root: string;
  let remote: string;
  let overlaySource: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-subpath-test-'));
    remote = path.join(root, 'remote.git');
    await execa('git', [
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      remote,
    ]);
    overlaySource = path.join(root, 'overlay');
    await fs.mkdir(path.join(overlaySource, 'bootstrap-kit'), {
      recursive: true,
    });
    await fs.writeFile(
      path.join(overlaySource, 'kustomization.yaml'),
      '# The Sovereign overlay\nresources:\n  - bootstrap-kit\n',
    );
    await fs.writeFile(
      path.join(overlaySource, 'bootstrap-kit', 'kustomization.yaml'),
      'resources:\n  - namespace.yaml\n',
    );
    await fs.writeFile(
      path.join(overlaySource, 'bootstrap-kit', 'namespace.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: platform\n',
    );
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  function repository(maxPushAttempts = 10) {
    return new GitOpsRepository({
      repoUrl: `file://${remote}`,
      branch: 'main',
      author: { name: 'Catalyst', email: 'catalyst@example.com' },
      logger: mockServices.logger.mock(),
      maxPushAttempts,
    });
  }

  /** A tenant folder as the redeem action renders it: its own kustomization and a Namespace. */
  async function tenantSource(slug: string, extra = ''): Promise<string> {
    const dir = path.join(root, 'tenant-sources', slug);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(
      path.join(dir, 'kustomization.yaml'),
      'resources:\n  - namespace.yaml\n',
    );
    await fs.writeFile(
      path.join(dir, 'namespace.yaml'),
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${slug}\n${extra}`,
    );
    return dir;
  }

  async function files(): Promise<string[]> {
    return (await git(remote, ['ls-tree', '-r', '--name-only', 'main']))
      .split('\n')
      .filter(Boolean);
  }

  async function show(file: string): Promise<string> {
    return git(remote, ['show', `main:${file}`]);
  }

  /** Checks the branch out and renders the overlay the way Flux's kustomize-controller does. */
  async function renderedNamespaces(): Promise<string[]> {
    const checkout = path.join(root, `checkout-${Date.now()}`);
    await execa('git', ['clone', '--quiet', remote, checkout]);
    const { stdout } = await execa('kubectl', [
      'kustomize',
      path.join(checkout, OVERLAY),
    ]);
    return yaml
      .parseAllDocuments(stdout)
      .map(d => d.toJSON())
      .filter(o => o?.kind === 'Namespace')
      .map(o => o.metadata.name)
      .sort();
  }

  it('writes one tenant folder, lists it in the parent kustomizations and leaves the overlay alone', async () => {
    await repository().writeOverlay({
      fqdn: FQDN,
      sourceDir: overlaySource,
      message: 'overlay',
    });
    const result = await repository().writeOverlay({
      fqdn: FQDN,
      subpath: 'tenants/bakery',
      sourceDir: await tenantSource('bakery'),
      message: 'Add tenant bakery',
    });
    expect(result).toMatchObject({
      changed: true,
      path: `${OVERLAY}/tenants/bakery`,
    });
    expect(await files()).toEqual([
      `${OVERLAY}/bootstrap-kit/kustomization.yaml`,
      `${OVERLAY}/bootstrap-kit/namespace.yaml`,
      `${OVERLAY}/kustomization.yaml`,
      `${OVERLAY}/tenants/bakery/kustomization.yaml`,
      `${OVERLAY}/tenants/bakery/namespace.yaml`,
      `${OVERLAY}/tenants/kustomization.yaml`,
    ]);
    // The root keeps its comment and its entries; tenants is added once.
    const rootKustomization = await show(`${OVERLAY}/kustomization.yaml`);
    expect(rootKustomization).toContain('# The Sovereign overlay');
    expect(yaml.parse(rootKustomization).resources).toEqual([
      'bootstrap-kit',
      'tenants',
    ]);
    expect(
      yaml.parse(await show(`${OVERLAY}/tenants/kustomization.yaml`)),
    ).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['bakery'],
    });
    expect(await renderedNamespaces()).toEqual(['bakery', 'platform']);

    // The same write again (a retried step) changes nothing.
    const again = await repository().writeOverlay({
      fqdn: FQDN,
      subpath: 'tenants/bakery',
      sourceDir: await tenantSource('bakery'),
      message: 'Add tenant bakery',
    });
    expect(again).toMatchObject({
      changed: false,
      commitSha: result.commitSha,
    });
    expect(await git(remote, ['rev-list', '--count', 'main'])).toBe('2');
  });

  it('lands every tenant when several write at once, each listed exactly once', async () => {
    await repository().writeOverlay({
      fqdn: FQDN,
      sourceDir: overlaySource,
      message: 'overlay',
    });
    const slugs = ['alpha', 'bravo', 'charlie', 'delta'];
    const sources = await Promise.all(slugs.map(slug => tenantSource(slug)));
    const results = await Promise.all(
      slugs.map((slug, i) =>
        repository().writeOverlay({
          fqdn: FQDN,
          subpath: `tenants/${slug}`,
          sourceDir: sources[i],
          message: `Add tenant ${slug}`,
        }),
      ),
    );
    expect(results.every(r => r.changed)).toBe(true);
    const listed = yaml.parse(
      await show(`${OVERLAY}/tenants/kustomization.yaml`),
    ).resources;
    expect([...listed].sort()).toEqual(slugs);
    expect(
      yaml.parse(await show(`${OVERLAY}/kustomization.yaml`)).resources,
    ).toEqual(['bootstrap-kit', 'tenants']);
    expect(await renderedNamespaces()).toEqual([...slugs, 'platform'].sort());
  });

  it('keeps a racing whole-overlay write and a tenant write both', async () => {
    await repository().writeOverlay({
      fqdn: FQDN,
      sourceDir: overlaySource,
      message: 'overlay',
    });
    // A re-rendered overlay (a new platform file) races the tenant commit.
    const rerendered = path.join(root, 'overlay-v2');
    await fs.cp(overlaySource, rerendered, { recursive: true });
    await fs.writeFile(
      path.join(rerendered, 'bootstrap-kit', 'kustomization.yaml'),
      'resources:\n  - namespace.yaml\n  - monitoring.yaml\n',
    );
    await fs.writeFile(
      path.join(rerendered, 'bootstrap-kit', 'monitoring.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n',
    );
    const [tenant, overlay] = await Promise.all([
      repository().writeOverlay({
        fqdn: FQDN,
        subpath: 'tenants/bakery',
        sourceDir: await tenantSource('bakery'),
        message: 'Add tenant bakery',
      }),
      repository().writeOverlay({
        fqdn: FQDN,
        sourceDir: rerendered,
        message: 'Re-render the overlay',
      }),
    ]);
    expect(tenant.changed && overlay.changed).toBe(true);
    expect(await files()).toEqual(
      expect.arrayContaining([
        `${OVERLAY}/bootstrap-kit/monitoring.yaml`,
        `${OVERLAY}/tenants/bakery/namespace.yaml`,
      ]),
    );
    expect(await renderedNamespaces()).toEqual([
      'bakery',
      'monitoring',
      'platform',
    ]);
  });

  it('carries the tenants over when the whole overlay is written again', async () => {
    await repository().writeOverlay({
      fqdn: FQDN,
      sourceDir: overlaySource,
      message: 'overlay',
    });
    await repository().writeOverlay({
      fqdn: FQDN,
      subpath: 'tenants/bakery',
      sourceDir: await tenantSource('bakery'),
      message: 'Add tenant bakery',
    });
    // The render knows nothing of tenants: its root kustomization does not list them.
    const again = await repository().writeOverlay({
      fqdn: FQDN,
      sourceDir: overlaySource,
      message: 'Re-render',
    });
    expect(again.changed).toBe(false);
    await fs.rm(path.join(overlaySource, 'bootstrap-kit', 'namespace.yaml'));
    await fs.writeFile(
      path.join(overlaySource, 'bootstrap-kit', 'kustomization.yaml'),
      'resources: []\n',
    );
    const changed = await repository().writeOverlay({
      fqdn: FQDN,
      sourceDir: overlaySource,
      message: 'Re-render without the platform namespace',
    });
    expect(changed.changed).toBe(true);
    expect(await files()).toContain(`${OVERLAY}/tenants/bakery/namespace.yaml`);
    expect(await files()).not.toContain(
      `${OVERLAY}/bootstrap-kit/namespace.yaml`,
    );
    expect(await renderedNamespaces()).toEqual(['bakery']);
  });

  it('removes one tenant folder and its entry, and nothing else', async () => {
    await repository().writeOverlay({
      fqdn: FQDN,
      sourceDir: overlaySource,
      message: 'overlay',
    });
    for (const slug of ['alpha', 'bravo']) {
      await repository().writeOverlay({
        fqdn: FQDN,
        subpath: `tenants/${slug}`,
        sourceDir: await tenantSource(slug),
        message: `Add ${slug}`,
      });
    }
    const removed = await repository().removeOverlay({
      fqdn: FQDN,
      subpath: 'tenants/alpha',
      message: 'Remove alpha',
    });
    expect(removed).toMatchObject({
      changed: true,
      path: `${OVERLAY}/tenants/alpha`,
    });
    expect(
      yaml.parse(await show(`${OVERLAY}/tenants/kustomization.yaml`)).resources,
    ).toEqual(['bravo']);
    expect(await renderedNamespaces()).toEqual(['bravo', 'platform']);
    const again = await repository().removeOverlay({
      fqdn: FQDN,
      subpath: 'tenants/alpha',
      message: 'Remove alpha',
    });
    expect(again.changed).toBe(false);
  });

  it('starts the overlay root kustomization when the Sovereign has no overlay yet', async () => {
    await repository().writeOverlay({
      fqdn: FQDN,
      subpath: 'tenants/bakery',
      sourceDir: await tenantSource('bakery'),
      message: 'Add tenant bakery',
    });
    expect(
      yaml.parse(await show(`${OVERLAY}/kustomization.yaml`)).resources,
    ).toEqual(['tenants']);
    expect(await renderedNamespaces()).toEqual(['bakery']);
  });

  it('refuses subpaths that could leave the overlay or are not plain folder names', async () => {
    const source = await tenantSource('bakery');
    for (const subpath of [
      '../other.omani.works',
      '/etc',
      'tenants/../..',
      'Tenants/X',
      '',
      'a//b',
    ]) {
      await expect(
        repository().writeOverlay({
          fqdn: FQDN,
          subpath,
          sourceDir: source,
          message: 'x',
        }),
      ).rejects.toThrow(/subpath/);
    }
    await expect(
      repository().removeOverlay({ fqdn: FQDN, subpath: '..', message: 'x' }),
    ).rejects.toThrow(/subpath/);
    expect(await git(remote, ['branch', '--list'])).toBe('');
  });
});
