import {
  buildBlueprints,
  RESERVED_ORGANIZATION_SLUGS,
  TENANT_NAMESPACE_PREFIX,
  tenantNamespace,
} from '@catalyst/plugin-catalyst-common';
import execa from 'execa';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';
import {
  OrganizationOverlay,
  organizationSubpath,
} from './organizationOverlay';

const grafana = buildBlueprints(loadCatalystData()).find(
  b => b.name === 'bp-grafana',
)!;

describe('OrganizationOverlay', () => {
  it('renders the namespace and the first App as a kustomize folder Flux can apply', async () => {
    const overlay = new OrganizationOverlay({
      fqdn: 'omantel.omani.works',
      slug: 'muscat-bakery',
      name: 'Muscat Bakery',
      app: { blueprint: grafana, version: '1.0.0' },
      pullSecret: 'ghcr-pull',
    });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'org-overlay-'));
    try {
      expect(await overlay.write(dir)).toEqual([
        'kustomization.yaml',
        'namespace.yaml',
        'grafana.yaml',
      ]);
      const objects = yaml
        .parseAllDocuments((await execa('kubectl', ['kustomize', dir])).stdout)
        .map(d => d.toJSON());
      const byKind = Object.fromEntries(objects.map(o => [o.kind, o]));
      expect(byKind.Namespace.metadata).toEqual({
        name: 'tenant-muscat-bakery',
        labels: {
          'catalyst.openova.io/sovereign': 'omantel.omani.works',
          'catalyst.openova.io/organization': 'muscat-bakery',
        },
      });
      // The chart name is not repeated in an OCI repository URL.
      expect(byKind.HelmRepository.spec).toEqual({
        type: 'oci',
        interval: '15m',
        url: grafana.oci.replace(/\/bp-grafana$/, ''),
        secretRef: { name: 'ghcr-pull' },
      });
      expect(byKind.HelmRepository.metadata.namespace).toBe(
        'tenant-muscat-bakery',
      );
      expect(byKind.HelmRelease.metadata.namespace).toBe(
        'tenant-muscat-bakery',
      );
      expect(byKind.HelmRelease.spec).toMatchObject({
        releaseName: 'grafana',
        targetNamespace: 'tenant-muscat-bakery',
        chart: { spec: { chart: 'bp-grafana', version: '1.0.0' } },
        values: {
          tenant: {
            slug: 'muscat-bakery',
            name: 'Muscat Bakery',
            namespace: 'tenant-muscat-bakery',
            sovereign: 'omantel.omani.works',
          },
        },
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('renders only the namespace without an App and no pull secret when none is configured', () => {
    const files = new OrganizationOverlay({
      fqdn: 'omantel.omani.works',
      slug: 'sohar',
      name: 'Sohar',
    }).render();
    expect(files.map(f => f.path)).toEqual([
      'kustomization.yaml',
      'namespace.yaml',
    ]);
    const withApp = new OrganizationOverlay({
      fqdn: 'omantel.omani.works',
      slug: 'sohar',
      name: 'Sohar',
      app: { blueprint: grafana, version: '1.0.0' },
    }).render();
    expect(withApp[2].content).not.toContain('secretRef');
  });

  it('refuses a slug that cannot name a namespace or is reserved', () => {
    expect(
      () =>
        new OrganizationOverlay({
          fqdn: 'a.omani.works',
          slug: 'flux',
          name: 'x',
        }),
    ).toThrow("organizationSlug: 'flux' is reserved for the platform");
    expect(
      () =>
        new OrganizationOverlay({
          fqdn: 'a.omani.works',
          slug: 'a--b',
          name: 'x',
        }),
    ).toThrow(/organizationSlug: must be/);
    expect(organizationSubpath('sohar')).toBe('tenants/sohar');
  });

  it('puts every tenant in a tenant- namespace, a prefix no platform namespace has', () => {
    const platform = new Set([
      'kube-system',
      'kube-public',
      'kube-node-lease',
      'default',
      'flux-system',
      'crossplane-system',
      ...buildBlueprints(loadCatalystData()).map(b => b.namespace),
    ]);
    expect(platform.size).toBeGreaterThan(20);
    for (const namespace of platform) {
      expect(namespace.startsWith(TENANT_NAMESPACE_PREFIX)).toBe(false);
    }
    // Slugs that used to be the namespace of a platform component are now a tenant namespace of their own.
    for (const slug of [
      'grafana',
      'cert-manager',
      'cilium',
      'monitoring',
      'ingress-nginx',
    ]) {
      expect(platform.has(tenantNamespace(slug))).toBe(false);
      expect(tenantNamespace(slug)).toBe(`tenant-${slug}`);
    }
    expect(RESERVED_ORGANIZATION_SLUGS).toContain('flux');
    // The longest slug still names a valid namespace (a DNS label, at most 63 characters).
    expect(tenantNamespace('a'.repeat(32)).length).toBeLessThanOrEqual(63);
  });
});
