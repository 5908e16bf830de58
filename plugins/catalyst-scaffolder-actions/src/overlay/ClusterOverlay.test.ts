import execa from 'execa';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { resolveBlueprints } from '@catalyst/plugin-catalyst-common';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';
import {
  ClusterOverlay,
  GATEWAY_NODE_PORTS,
  OverlayRelease,
  parsePath,
} from './ClusterOverlay';
import { loadReleaseValues, ReleaseValuesData } from './releaseValues';

const FQDN = 'omantel.omani.works';

const data = loadCatalystData();

/** The 35 releases of the reference kit, resolved from the kit's components like a real request. */
function kitReleases(): OverlayRelease[] {
  const components = data.bootstrapKit.entries
    .map(e => e.component)
    .filter((c): c is string => c !== null);
  return resolveBlueprints(data, components).releases;
}

function parseObjects(content: string): any[] {
  return parseAllDocuments(content).map(d => d.toJS());
}

describe('ClusterOverlay', () => {
  let dir: string;
  const releaseValues = loadReleaseValues();

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'overlay-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('renders the whole kit with literal per-Sovereign values and kubectl kustomize builds it', async () => {
    const overlay = new ClusterOverlay({
      fqdn: FQDN,
      releases: kitReleases(),
      releaseValues,
    });
    const written = await overlay.write(dir);
    expect(written).toContain(`clusters/${FQDN}/kustomization.yaml`);
    expect(written).toContain(`clusters/${FQDN}/bootstrap-kit/01-cilium.yaml`);
    expect(written).toContain(`clusters/${FQDN}/bootstrap-kit/35-coraza.yaml`);
    expect(written).toContain(
      `clusters/${FQDN}/infrastructure/provider-config-hcloud.yaml`,
    );

    const { stdout } = await execa('kubectl', [
      'kustomize',
      path.join(dir, 'clusters', FQDN),
    ]);
    const objects = parseObjects(stdout);
    const helmReleases = objects.filter(o => o.kind === 'HelmRelease');
    const repositories = objects.filter(o => o.kind === 'HelmRepository');
    expect(helmReleases).toHaveLength(35);
    expect(repositories).toHaveLength(35);
    expect(stdout).not.toMatch(/\$\{|SOVEREIGN_FQDN_PLACEHOLDER/);

    // Never kube-system, and every Namespace labelled with the literal FQDN.
    const namespaces = objects.filter(o => o.kind === 'Namespace');
    expect(namespaces.map(n => n.metadata.name)).not.toContain('kube-system');
    expect(new Set(namespaces.map(n => n.metadata.name)).size).toBe(
      namespaces.length,
    );
    for (const ns of namespaces) {
      expect(ns.metadata.labels['catalyst.openova.io/sovereign']).toBe(FQDN);
    }

    const byName = new Map(helmReleases.map(h => [h.metadata.name, h]));
    const gitea = byName.get('bp-gitea');
    expect(gitea.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(gitea.spec.dependsOn).toEqual([{ name: 'bp-keycloak' }]);
    expect(gitea.spec.values.global.sovereignFQDN).toBe(FQDN);
    expect(gitea.spec.values.ingress.hosts[0]).toEqual({
      host: `gitea.${FQDN}`,
      paths: [{ path: '/', pathType: 'Prefix' }],
    });
    const externalDns = byName.get('bp-external-dns');
    expect(externalDns.spec.values['external-dns']).toMatchObject({
      txtOwnerId: FQDN,
      domainFilters: [FQDN],
      txtPrefix: '_externaldns.',
    });
    const platform = byName.get('bp-catalyst-platform');
    expect(platform.spec.values.ingress.hosts).toEqual({
      console: { host: `console.${FQDN}` },
      admin: { host: `admin.${FQDN}` },
      marketplace: { host: FQDN },
      api: { host: `api.${FQDN}` },
    });
    const cilium = byName.get('bp-cilium');
    expect(cilium.spec.values.gateway.service.nodePorts).toEqual(
      GATEWAY_NODE_PORTS,
    );
    expect(cilium.spec.dependsOn).toBeUndefined();

    // Helm waits only for crossplane and crossplane-claims.
    expect(
      byName.get('bp-crossplane').spec.install.disableWait,
    ).toBeUndefined();
    expect(byName.get('bp-crossplane').spec.timeout).toBe('15m');
    expect(byName.get('bp-cert-manager').spec.install).toEqual({
      disableWait: true,
      remediation: { retries: 3 },
    });
    expect(byName.get('bp-flux').spec.upgrade.preserveValues).toBe(true);

    const repo = repositories.find(r => r.metadata.name === 'bp-gitea');
    expect(repo).toEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
      kind: 'HelmRepository',
      metadata: { name: 'bp-gitea', namespace: 'flux-system' },
      spec: {
        type: 'oci',
        interval: '15m',
        url: 'oci://ghcr.io/openova-io',
        secretRef: { name: 'ghcr-pull' },
      },
    });
    const providerConfig = objects.find(o => o.kind === 'ProviderConfig');
    expect(providerConfig.spec.credentials.secretRef).toEqual({
      namespace: 'crossplane-system',
      name: 'hcloud-credentials',
      key: 'token',
    });
  });

  it('differs between two Sovereigns only by the FQDN', () => {
    const render = (fqdn: string) =>
      new ClusterOverlay({ fqdn, releases: kitReleases(), releaseValues })
        .render()
        .map(f => `${f.path}\n${f.content}`)
        .join('\n');
    const a = render('alpha.omani.works');
    const b = render('beta.omani.works');
    expect(a).not.toBe(b);
    expect(a.split('alpha.omani.works').join('beta.omani.works')).toBe(b);
  });

  it('refuses to write when a ${…} variable would survive', async () => {
    const releases = kitReleases();
    releases.find(r => r.name === 'bp-gitea')!.fqdnValues = {
      'global.sovereignFQDN': '${SOVEREIGN_FQDN}',
      'ingress.hosts[0].host': 'gitea.${SOVEREIGN_DOMAIN}',
    };
    const overlay = new ClusterOverlay({ fqdn: FQDN, releases, releaseValues });
    await expect(overlay.write(dir)).rejects.toThrow(
      `Refusing to write the overlay: clusters/${FQDN}/bootstrap-kit/10-gitea.yaml still contains "\${SOVEREIGN_DOMAIN}"`,
    );
    await expect(fs.readdir(dir)).resolves.toEqual([]);
  });

  it('refuses to write when SOVEREIGN_FQDN_PLACEHOLDER would survive', async () => {
    const releases = kitReleases();
    releases.find(r => r.name === 'bp-harbor')!.fqdnValues = {
      'expose.ingress.hosts.core': 'harbor.SOVEREIGN_FQDN_PLACEHOLDER',
    };
    const overlay = new ClusterOverlay({ fqdn: FQDN, releases, releaseValues });
    expect(() => overlay.render()).toThrow(
      /19-harbor.yaml still contains "SOVEREIGN_FQDN_PLACEHOLDER"/,
    );
    await expect(overlay.write(dir)).rejects.toThrow(
      /SOVEREIGN_FQDN_PLACEHOLDER/,
    );
    await expect(fs.readdir(dir)).resolves.toEqual([]);
  });

  it('refuses a cilium release without the Gateway NodePorts the load balancer targets', () => {
    const values: ReleaseValuesData = structuredClone(releaseValues);
    (values.releases.cilium as any).gateway.service.nodePorts.https = 30443;
    expect(() =>
      new ClusterOverlay({
        fqdn: FQDN,
        releases: kitReleases(),
        releaseValues: values,
      }).render(),
    ).toThrow(
      /bp-cilium values must pin gateway.service.nodePorts to http 31080 and https 31443/,
    );
  });

  it('refuses a dependsOn target outside the overlay and a dependency cycle', () => {
    const missing = kitReleases().filter(r => r.name !== 'bp-keycloak');
    expect(() =>
      new ClusterOverlay({
        fqdn: FQDN,
        releases: missing,
        releaseValues,
      }).render(),
    ).toThrow(
      /bp-gitea depends on bp-keycloak, which is not part of the overlay/,
    );

    const cyclic = kitReleases();
    cyclic.find(r => r.name === 'bp-cilium')!.dependsOn = ['bp-flux'];
    expect(() =>
      new ClusterOverlay({
        fqdn: FQDN,
        releases: cyclic,
        releaseValues,
      }).render(),
    ).toThrow(
      /dependsOn cycle: bp-cilium → bp-flux → bp-cert-manager → bp-cilium/,
    );
  });

  it('declares a shared namespace once and never kube-system', () => {
    const releases = kitReleases().filter(r =>
      [
        'cilium',
        'cert-manager',
        'flux',
        'crossplane',
        'crossplane-claims',
        'sealed-secrets',
      ]
        .map(n => `bp-${n}`)
        .includes(r.name),
    );
    releases.find(r => r.name === 'bp-crossplane-claims')!.namespace =
      'crossplane-system';
    releases.find(r => r.name === 'bp-sealed-secrets')!.namespace =
      'kube-system';
    const files = new ClusterOverlay({
      fqdn: FQDN,
      releases,
      releaseValues,
    }).render();
    const namespaces = files
      .flatMap(f => parseObjects(f.content))
      .filter(o => o.kind === 'Namespace')
      .map(o => o.metadata.name);
    expect(namespaces).toEqual([
      'cert-manager',
      'flux-system',
      'crossplane-system',
    ]);
  });

  it('numbers releases without a kit slot after the kit', () => {
    const releases = kitReleases().filter(r =>
      ['bp-cilium', 'bp-cert-manager'].includes(r.name),
    );
    releases.push({
      name: 'bp-opensearch',
      chart: 'bp-opensearch',
      version: '1.0.0',
      releaseName: 'opensearch',
      targetNamespace: 'opensearch',
      namespace: 'opensearch',
      dependsOn: ['bp-cert-manager'],
    });
    const paths = new ClusterOverlay({ fqdn: FQDN, releases, releaseValues })
      .render()
      .map(f => f.path);
    expect(paths).toContain('bootstrap-kit/03-opensearch.yaml');
  });

  it('rejects an FQDN that cannot be a label value', () => {
    expect(
      () =>
        new ClusterOverlay({
          fqdn: `${'a'.repeat(60)}.omani.works`,
          releases: kitReleases(),
          releaseValues,
        }),
    ).toThrow(/longer than 63 characters/);
    expect(
      () =>
        new ClusterOverlay({
          fqdn: 'Not A Domain',
          releases: kitReleases(),
          releaseValues,
        }),
    ).toThrow(/not a valid lower-case FQDN/);
  });

  it('parses dotted value paths with indexes', () => {
    expect(parsePath('ingress.hosts[0].host')).toEqual([
      'ingress',
      'hosts',
      0,
      'host',
    ]);
    expect(parsePath('external-dns.domainFilters[0]')).toEqual([
      'external-dns',
      'domainFilters',
      0,
    ]);
    expect(() => parsePath('a..b')).toThrow(/invalid values path/);
  });
});
