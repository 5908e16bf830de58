import { readFileSync } from 'fs';
import { resolve } from 'path';
import { CATALYST_DATA_FILES, parseCatalystData } from '../data/catalystData';
import { computeDefaultSelection } from '../data/componentCatalog';
import {
  BlueprintResolutionError,
  blueprintFamilies,
  buildBlueprints,
  findDependsOnCycle,
} from './blueprints';
import { resolveBlueprints } from './resolveBlueprints';

const root = resolve(__dirname, '../..');
const data = parseCatalystData({
  components: readFileSync(
    resolve(root, CATALYST_DATA_FILES.components),
    'utf8',
  ),
  nodeSizes: readFileSync(resolve(root, CATALYST_DATA_FILES.nodeSizes), 'utf8'),
  bootstrapKit: readFileSync(
    resolve(root, CATALYST_DATA_FILES.bootstrapKit),
    'utf8',
  ),
});
const blueprints = buildBlueprints(data);
const byName = new Map(blueprints.map(b => [b.name, b]));

describe('buildBlueprints', () => {
  it('has one Blueprint per component plus the 5 kit-only releases', () => {
    expect(blueprints).toHaveLength(68);
    expect(blueprints.filter(b => b.componentId !== null)).toHaveLength(63);
    expect(
      blueprints.filter(b => b.family === 'infrastructure').map(b => b.name),
    ).toEqual([
      'bp-sealed-secrets',
      'bp-spire',
      'bp-nats-jetstream',
      'bp-catalyst-platform',
      'bp-crossplane-claims',
    ]);
    expect(blueprints.filter(b => !b.installable)).toHaveLength(22);
  });

  it('fills a kit component from the kit and the catalog', () => {
    expect(byName.get('bp-gitea')).toEqual({
      name: 'bp-gitea',
      componentId: 'gitea',
      title: 'Gitea',
      family: 'pilot',
      chart: 'bp-gitea',
      version: '1.1.2',
      oci: 'oci://ghcr.io/openova-io/bp-gitea',
      namespace: 'gitea',
      // The kit's graph wins over the catalog's (gitea → cnpg).
      dependsOn: ['bp-keycloak'],
      alwaysIncluded: true,
      defaultSelected: true,
      tier: 'mandatory',
      description:
        'In-Sovereign Git hosting for Orgs, Apps and Blueprint repos',
      logo: 'gitea.svg',
      kitSlot: 10,
      upstream: 'gitea@10.5.0',
      installable: true,
    });
  });

  it('maps catalog dependsOn for a component outside the kit', () => {
    expect(byName.get('bp-librechat')).toMatchObject({
      version: '1.0.0',
      dependsOn: ['bp-ferretdb'],
      kitSlot: null,
      upstream: null,
      namespace: 'librechat',
      installable: true,
    });
  });

  it('marks a component without a chart as not installable', () => {
    expect(byName.get('bp-opentofu')).toMatchObject({
      version: null,
      installable: false,
      logo: 'opentofu.svg',
      oci: 'oci://ghcr.io/openova-io/bp-opentofu',
    });
    expect(byName.get('bp-powerdns')!.logo).toBeNull();
  });

  it('describes a kit-only release', () => {
    expect(byName.get('bp-nats-jetstream')).toMatchObject({
      componentId: null,
      title: 'Nats Jetstream',
      family: 'infrastructure',
      version: '1.1.1',
      namespace: 'nats-system',
      dependsOn: ['bp-spire'],
      alwaysIncluded: true,
      tier: 'mandatory',
      kitSlot: 7,
      upstream: 'nats@1.2.0',
    });
  });

  it('has every dependsOn target and no cycle', () => {
    for (const b of blueprints) {
      for (const dep of b.dependsOn) expect(byName.has(dep)).toBe(true);
    }
    expect(findDependsOnCycle(blueprints)).toBeUndefined();
  });

  it('reports a cycle with its path', () => {
    expect(
      findDependsOnCycle([
        { name: 'bp-a', dependsOn: ['bp-b'] },
        { name: 'bp-b', dependsOn: ['bp-c'] },
        { name: 'bp-c', dependsOn: ['bp-a'] },
      ]),
    ).toEqual(['bp-a', 'bp-b', 'bp-c', 'bp-a']);
  });

  it('lists the 9 families plus infrastructure', () => {
    const families = blueprintFamilies(data.components);
    expect(families.map(f => f.id)).toEqual([
      'pilot',
      'spine',
      'surge',
      'silo',
      'guardian',
      'insights',
      'fabric',
      'cortex',
      'relay',
      'infrastructure',
    ]);
    expect(families[7]).toEqual({
      id: 'cortex',
      name: 'CORTEX',
      subtitle: 'AI & Machine Learning',
      description:
        'Model serving, LLM inference, vectors, embeddings and AI tracing',
    });
  });
});

describe('resolveBlueprints', () => {
  it('resolves the default selection', () => {
    // What the rules selected before unpublished Blueprints were left out (records of older Sovereigns).
    const selection = computeDefaultSelection(data.components);
    const result = resolveBlueprints(data, selection);
    const names = result.releases.map(r => r.name);
    expect(new Set(names).size).toBe(names.length);
    // Kit-only infrastructure is always there.
    for (const infra of [
      'bp-sealed-secrets',
      'bp-spire',
      'bp-nats-jetstream',
      'bp-catalyst-platform',
      'bp-crossplane-claims',
    ]) {
      expect(names).toContain(infra);
    }
    // Default-selected components with a chart outside the kit.
    expect(names).toEqual(
      expect.arrayContaining(['bp-kserve', 'bp-livekit', 'bp-stunner']),
    );
    // langfuse is in the kit but not default-selected: not installed.
    expect(names).not.toContain('bp-langfuse');
    expect(result.notInstallable).toEqual(
      [
        'axon',
        'continuum',
        'debezium',
        'envoy',
        'frpc',
        'keda',
        'netbird',
        'opensearch',
        'opentofu',
        'stalwart',
        'strimzi',
        'vcluster',
      ].sort(),
    );
    expect(result.additions).toEqual([]);
  });

  it('orders releases so each comes after what it depends on, ties by slot then name', () => {
    const { releases } = resolveBlueprints(
      data,
      computeDefaultSelection(data.components),
    );
    const position = new Map(releases.map((r, i) => [r.name, i]));
    for (const r of releases) {
      for (const dep of r.dependsOn) {
        expect(position.get(dep)!).toBeLessThan(position.get(r.name)!);
      }
    }
    expect(releases.slice(0, 4).map(r => r.name)).toEqual([
      'bp-cilium',
      'bp-cert-manager',
      'bp-flux',
      'bp-crossplane',
    ]);
    // Releases outside the kit (slot null) come after every kit release they can follow.
    expect(releases.at(-1)!.slot).toBeNull();
  });

  it('carries the kit details of a release', () => {
    const { releases } = resolveBlueprints(data, ['crossplane', 'gitea']);
    const crossplane = releases.find(r => r.name === 'bp-crossplane')!;
    expect(crossplane).toEqual({
      slot: 4,
      name: 'bp-crossplane',
      chart: 'bp-crossplane',
      version: '1.1.3',
      oci: 'oci://ghcr.io/openova-io/bp-crossplane',
      namespace: 'crossplane-system',
      releaseName: 'crossplane',
      targetNamespace: 'crossplane-system',
      dependsOn: ['bp-flux'],
      timeout: '15m',
      wait: true,
      component: 'crossplane',
    });
    const cilium = releases.find(r => r.name === 'bp-cilium')!;
    expect(cilium.namespace).toBeNull();
    expect(cilium.targetNamespace).toBe('kube-system');
    const gitea = releases.find(r => r.name === 'bp-gitea')!;
    expect(gitea.fqdnValues).toEqual({
      'global.sovereignFQDN': '${SOVEREIGN_FQDN}',
      'ingress.hosts[0].host': 'gitea.${SOVEREIGN_FQDN}',
    });
  });

  it('reports releases pulled in by dependsOn (bp-gitea → bp-keycloak)', () => {
    const result = resolveBlueprints(data, ['gitea']);
    expect(result.additions).toEqual(
      expect.arrayContaining([
        { name: 'bp-keycloak', requiredBy: 'bp-gitea' },
        { name: 'bp-cert-manager', requiredBy: 'bp-sealed-secrets' },
        { name: 'bp-cilium', requiredBy: 'bp-cert-manager' },
      ]),
    );
    expect(result.releases.map(r => r.name)).toContain('bp-keycloak');
  });

  it('drops dependsOn edges to components without a chart and reports them', () => {
    const selection = [
      ...computeDefaultSelection(data.components),
      'librechat',
      'ferretdb',
      'neo4j',
    ];
    const result = resolveBlueprints(data, selection);
    const librechat = result.releases.find(r => r.name === 'bp-librechat')!;
    expect(librechat.dependsOn).toEqual([]);
    expect(result.notInstallable).toContain('ferretdb');
    expect(result.notInstallable).toContain('neo4j');
  });

  it('throws a BlueprintResolutionError on an unknown component', () => {
    expect(() => resolveBlueprints(data, ['flux', 'kafka'])).toThrow(
      new BlueprintResolutionError('Unknown component "kafka"'),
    );
  });

  it('throws naming the cycle when the graph has one', () => {
    const cyclic = blueprints.map(b =>
      b.name === 'bp-cilium' ? { ...b, dependsOn: ['bp-flux'] } : b,
    );
    expect(() => resolveBlueprints(data, ['flux'], cyclic)).toThrow(
      /Blueprint dependsOn cycle: bp-cilium -> bp-flux -> bp-cert-manager -> bp-cilium|Blueprint dependsOn cycle: bp-cert-manager -> bp-cilium -> bp-flux -> bp-cert-manager|Blueprint dependsOn cycle: bp-flux -> bp-cert-manager -> bp-cilium -> bp-flux/,
    );
  });

  it('throws on a dependsOn target that does not exist', () => {
    const broken = blueprints.map(b =>
      b.name === 'bp-flux' ? { ...b, dependsOn: ['bp-nope'] } : b,
    );
    expect(() => resolveBlueprints(data, ['flux'], broken)).toThrow(
      'bp-flux depends on unknown Blueprint "bp-nope"',
    );
  });
});
