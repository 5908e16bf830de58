import { readFileSync } from 'fs';
import { resolve } from 'path';
import {
  CATALYST_DATA_FILES,
  checkCatalystData,
  parseCatalystData,
} from './catalystData';
import {
  computeAlwaysIncluded,
  computeDefaultSelection,
  parseComponentCatalog,
} from './componentCatalog';
import { parseNodeSizeCatalog, CLOUD_PROVIDERS } from './nodeSizes';
import { parseBootstrapKit } from './bootstrapKit';
import { CatalystDataError } from './dataFile';

const packageRoot = resolve(__dirname, '../..');
const read = (file: string) => readFileSync(resolve(packageRoot, file), 'utf8');
const texts = {
  components: read(CATALYST_DATA_FILES.components),
  nodeSizes: read(CATALYST_DATA_FILES.nodeSizes),
  bootstrapKit: read(CATALYST_DATA_FILES.bootstrapKit),
};

describe('catalog data files', () => {
  it('parse with the counts of the spec', () => {
    const data = parseCatalystData(texts);
    expect(data.components.components).toHaveLength(63);
    expect(data.components.families).toHaveLength(9);
    expect(data.components.families.map(f => [f.id, f.members.length])).toEqual(
      [
        ['pilot', 5],
        ['spine', 8],
        ['surge', 4],
        ['silo', 3],
        ['guardian', 9],
        ['insights', 10],
        ['fabric', 10],
        ['cortex', 9],
        ['relay', 5],
      ],
    );
    const always = computeAlwaysIncluded(data.components);
    expect(always).toHaveLength(24);
    expect(always).toEqual(
      data.components.components
        .filter(c => c.alwaysIncluded)
        .map(c => c.id)
        .sort(),
    );
    // cnpg and valkey are promoted by the transitive-mandatory rule.
    const promoted = always.filter(
      id =>
        data.components.components.find(c => c.id === id)!.tier !== 'mandatory',
    );
    expect(promoted).toEqual(['cnpg', 'valkey']);
    const defaults = computeDefaultSelection(data.components);
    expect(defaults).toHaveLength(44);
    expect(63 - defaults.length).toBe(19);
    expect(
      data.components.components.filter(c => c.tier !== 'mandatory'),
    ).toHaveLength(41);
    expect(
      data.components.components.filter(c => c.blueprint === null),
    ).toHaveLength(22);

    const skuCounts = CLOUD_PROVIDERS.map(
      p => data.nodeSizes.providers[p].skus.length,
    );
    expect(skuCounts).toEqual([19, 11, 11, 15, 10]);
    expect(skuCounts.reduce((a, b) => a + b, 0)).toBe(66);
    for (const p of CLOUD_PROVIDERS) {
      expect(data.nodeSizes.providers[p].regions).toHaveLength(5);
    }
    expect(data.nodeSizes.providers.hetzner.defaults).toEqual({
      controlPlane: 'cpx32',
      worker: 'cpx32',
    });

    expect(data.bootstrapKit.entries).toHaveLength(35);
    expect(
      data.bootstrapKit.entries
        .filter(e => e.component === null)
        .map(e => e.name),
    ).toEqual([
      'sealed-secrets',
      'spire',
      'nats-jetstream',
      'catalyst-platform',
      'crossplane-claims',
    ]);
  });

  it('keeps versions as strings, never numbers', () => {
    const kit = parseBootstrapKit(texts.bootstrapKit);
    expect(kit.entries[0].version).toBe('1.1.1');
    const sizes = parseNodeSizeCatalog(texts.nodeSizes);
    expect(sizes.currencyConversion.snapshot).toBe('2026-04');
  });
});

describe('parse errors name the file and the field', () => {
  it('rejects invalid YAML', () => {
    expect(() => parseComponentCatalog('families: [')).toThrow(
      /^data\/components\.yaml: is not valid YAML/,
    );
  });

  it('rejects a wrong shape with the field path', () => {
    const broken = texts.components.replace(
      '{id: flux, name: Flux CD, family: pilot, tier: mandatory',
      '{id: flux, name: Flux CD, family: pilot, tier: essential',
    );
    expect(() => parseComponentCatalog(broken)).toThrow(
      /data\/components\.yaml: components\[0\]\.tier: Invalid enum value/,
    );
  });

  it('rejects an unknown dependsOn target', () => {
    const broken = texts.components.replace(
      'dependsOn: [strimzi]',
      'dependsOn: [kafka]',
    );
    expect(() => parseComponentCatalog(broken)).toThrow(
      'data/components.yaml: components[42].dependsOn[0]: unknown component "kafka"',
    );
  });

  it('rejects a dependsOn cycle', () => {
    const broken = texts.components.replace(
      'name: CloudNative PG, family: fabric, tier: recommended, alwaysIncluded: true, defaultSelected: true,\n     dependsOn: []',
      'name: CloudNative PG, family: fabric, tier: recommended, alwaysIncluded: true, defaultSelected: true,\n     dependsOn: [gitea]',
    );
    expect(() => parseComponentCatalog(broken)).toThrow(
      /dependsOn has a cycle: (.+ -> )+/,
    );
  });

  it('rejects an alwaysIncluded flag the rule does not give', () => {
    const broken = texts.components.replace(
      '{id: valkey, name: Valkey, family: fabric, tier: recommended, alwaysIncluded: true',
      '{id: valkey, name: Valkey, family: fabric, tier: recommended, alwaysIncluded: false',
    );
    expect(() => parseComponentCatalog(broken)).toThrow(
      'data/components.yaml: components[40].alwaysIncluded: is false for "valkey" but the transitive-mandatory rule gives true',
    );
  });

  it('rejects a defaultSelected flag the rule does not give', () => {
    const broken = texts.components.replace(
      '{id: clickhouse, name: ClickHouse, family: fabric, tier: optional, alwaysIncluded: false, defaultSelected: false',
      '{id: clickhouse, name: ClickHouse, family: fabric, tier: optional, alwaysIncluded: false, defaultSelected: true',
    );
    expect(() => parseComponentCatalog(broken)).toThrow(
      /components\[45\]\.defaultSelected: is true for "clickhouse"/,
    );
  });

  it('rejects a member listed in the wrong family', () => {
    const broken = texts.components.replace(
      'members: [stalwart, livekit, stunner, matrix, ntfy]',
      'members: [stalwart, livekit, stunner, matrix, ntfy, flux]',
    );
    expect(() => parseComponentCatalog(broken)).toThrow(
      'data/components.yaml: families[8].members[5]: component "flux" declares family "pilot", not "relay"',
    );
  });

  it('rejects a node-size default that is not a SKU', () => {
    const broken = texts.nodeSizes.replace(
      'defaults: {controlPlane: cpx32, worker: cpx32}',
      'defaults: {controlPlane: cpx32, worker: cpx99}',
    );
    expect(() => parseNodeSizeCatalog(broken)).toThrow(
      'data/node-sizes.yaml: providers.hetzner.defaults.worker: unknown SKU "cpx99"',
    );
  });

  it('rejects a converted price that breaks the conversion rule', () => {
    const broken = texts.nodeSizes.replace(
      'priceHour: 0.0883, priceMonth: 64.47, usdHour: 0.096, category: general-purpose}\n      - {id: m6i.xlarge',
      'priceHour: 0.0893, priceMonth: 64.47, usdHour: 0.096, category: general-purpose}\n      - {id: m6i.xlarge',
    );
    expect(() => parseNodeSizeCatalog(broken)).toThrow(
      /providers\.aws\.skus\[0\]\.priceHour: 0\.0893 does not equal usdHour 0\.096/,
    );
  });

  it('rejects a kit dependsOn that is not in the kit', () => {
    const broken = texts.bootstrapKit.replace(
      'dependsOn: [bp-keycloak],',
      'dependsOn: [bp-keycloack],',
    );
    expect(() => parseBootstrapKit(broken)).toThrow(
      'data/bootstrap-kit.yaml: entries[9].dependsOn[0]: "bp-keycloack" is not a release of the kit',
    );
  });

  it('rejects a kit cycle', () => {
    const broken = texts.bootstrapKit.replace(
      'releaseName: cilium, targetNamespace: kube-system, dependsOn: []',
      'releaseName: cilium, targetNamespace: kube-system, dependsOn: [bp-flux]',
    );
    expect(() => parseBootstrapKit(broken)).toThrow(
      /data\/bootstrap-kit\.yaml: entries: dependsOn has a cycle: bp-cilium -> bp-flux -> bp-cert-manager -> bp-cilium/,
    );
  });

  it('rejects a kit component that the catalog does not know', () => {
    const data = parseCatalystData(texts);
    data.bootstrapKit.entries[4] = {
      ...data.bootstrapKit.entries[4],
      component: 'sealed',
    };
    expect(() => checkCatalystData(data)).toThrow(
      'data/bootstrap-kit.yaml: entries[4].component: unknown component "sealed" (not in data/components.yaml)',
    );
  });

  it('rejects version drift between the catalog and the kit', () => {
    const broken = texts.bootstrapKit.replace(
      'chart: bp-external-secrets, version: 1.0.1',
      'chart: bp-external-secrets, version: 1.0.0',
    );
    expect(() => parseCatalystData({ ...texts, bootstrapKit: broken })).toThrow(
      'data/bootstrap-kit.yaml: entries[14].version: bp-external-secrets@1.0.0 drifts from data/components.yaml blueprint bp-external-secrets@1.0.1',
    );
  });

  it('is a CatalystDataError with file and field', () => {
    const broken = texts.nodeSizes.replace('countMax: 50', 'countMax: -1');
    const error = (() => {
      try {
        parseNodeSizeCatalog(broken);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CatalystDataError);
    expect(error).toMatchObject({
      file: 'data/node-sizes.yaml',
      message: expect.stringContaining('workers.countMax'),
    });
  });
});
