import { entityKindSchemaValidator } from '@backstage/catalog-model';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { buildBlueprints } from '../blueprints/blueprints';
import { CATALYST_DATA_FILES, parseCatalystData } from '../data/catalystData';
import { CATALYST_API_VERSION } from './apiVersion';
import {
  blueprintEntitySchema,
  BlueprintEntityV1alpha1,
} from './blueprintEntity';
import {
  SOVEREIGN_PHASES,
  sovereignEntitySchema,
  SovereignEntityV1alpha1,
} from './sovereignEntity';
import { voucherEntitySchema, VoucherEntityV1alpha1 } from './voucherEntity';

const validateSovereign = entityKindSchemaValidator(
  sovereignEntitySchema as any,
);
const validateBlueprint = entityKindSchemaValidator(
  blueprintEntitySchema as any,
);
const validateVoucher = entityKindSchemaValidator(voucherEntitySchema as any);

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
// entityKindSchemaValidator returns the entity when it is valid, false for another kind, and throws when invalid.

const sovereign: SovereignEntityV1alpha1 = {
  apiVersion: CATALYST_API_VERSION,
  kind: 'Sovereign',
  metadata: {
    name: 'omantel-omani-works',
    annotations: { 'catalyst.openova.io/fqdn': 'omantel.omani.works' },
  },
  spec: {
    owner: 'group:default/omantel-platform',
    fqdn: 'omantel.omani.works',
    organization: 'Omantel',
    adminEmail: 'platform@omantel.om',
    phase: 'provisioning',
    domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'omantel' },
    topology: {
      template: 'solo',
      airgap: false,
      haEnabled: false,
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx32',
          workerSize: '',
          workerCount: 0,
          airgap: false,
        },
      ],
    },
    components: ['cilium', 'flux'],
    blueprints: ['bp-cilium@1.1.1', 'bp-flux@1.1.2'],
    notInstallable: ['opentofu'],
    gitops: {
      repoUrl: 'https://gitea.example.com/catalyst/gitops',
      branch: 'main',
      path: 'clusters/omantel.omani.works',
      commitSha: '3f2c1a9',
    },
    endpoints: { consoleUrl: 'https://console.omantel.omani.works' },
  },
};

const voucher: VoucherEntityV1alpha1 = {
  apiVersion: CATALYST_API_VERSION,
  kind: 'Voucher',
  metadata: { name: 'v-01', namespace: 'omantel-omani-works' },
  spec: {
    sovereign: 'sovereign:default/omantel-omani-works',
    owner: 'group:default/omantel-platform',
    codeMasked: '••••-100',
    credit: { amount: 100, currency: 'OMR' },
    description: 'Launch campaign',
    state: 'active',
    active: true,
    maxRedemptions: 0,
    timesRedeemed: 3,
    expiresAt: '2026-12-31T23:59:59Z',
    issuedBy: 'user:default/admin',
  },
};

describe('Sovereign kind', () => {
  it('accepts a complete Sovereign and lists every phase', () => {
    expect(validateSovereign(sovereign)).toBe(sovereign);
    expect(SOVEREIGN_PHASES).toEqual([
      'provisioning',
      'dns-pending',
      'bootstrapping',
      'ready',
      'degraded',
      'failed',
      'decommissioning',
      'decommissioned',
    ]);
  });

  it('does not claim other kinds', () => {
    expect(validateSovereign({ ...sovereign, kind: 'Component' })).toBe(false);
    expect(
      validateSovereign({ ...sovereign, apiVersion: 'backstage.io/v1alpha1' }),
    ).toBe(false);
  });

  it.each([
    ['an unknown phase', (e: any) => (e.spec.phase = 'booting')],
    ['a missing owner', (e: any) => delete e.spec.owner],
    ['an invalid fqdn', (e: any) => (e.spec.fqdn = 'Omantel.omani.works')],
    ['an unknown domain mode', (e: any) => (e.spec.domain.mode = 'byo')],
    [
      'too many workers',
      (e: any) => (e.spec.topology.regions[0].workerCount = 51),
    ],
    [
      'an unknown provider',
      (e: any) => (e.spec.topology.regions[0].provider = 'gcp'),
    ],
    [
      'a blueprint without a version',
      (e: any) => (e.spec.blueprints = ['bp-flux']),
    ],
    ['a gitops block without a path', (e: any) => delete e.spec.gitops.path],
  ])('rejects %s', (_, mutate) => {
    const entity = clone(sovereign);
    mutate(entity);
    expect(() => validateSovereign(entity)).toThrow();
  });
});

describe('Blueprint kind', () => {
  const root = resolve(__dirname, '../..');
  const read = (f: string) => readFileSync(resolve(root, f), 'utf8');
  const data = parseCatalystData({
    components: read(CATALYST_DATA_FILES.components),
    nodeSizes: read(CATALYST_DATA_FILES.nodeSizes),
    bootstrapKit: read(CATALYST_DATA_FILES.bootstrapKit),
  });

  const toEntity = (
    b: ReturnType<typeof buildBlueprints>[number],
  ): BlueprintEntityV1alpha1 => ({
    apiVersion: CATALYST_API_VERSION,
    kind: 'Blueprint',
    metadata: { name: b.name, title: b.title },
    spec: {
      family: b.family,
      chart: b.chart,
      version: b.version,
      oci: b.oci,
      namespace: b.namespace,
      dependsOn: b.dependsOn.map(d => `blueprint:default/${d}`),
      alwaysIncluded: b.alwaysIncluded,
      installable: b.installable,
      description: b.description,
      logo: b.logo,
      tier: b.tier,
      kitSlot: b.kitSlot,
      upstream: b.upstream,
    },
  });

  it('accepts every Blueprint built from the data files', () => {
    for (const blueprint of buildBlueprints(data)) {
      const entity = toEntity(blueprint);
      expect(validateBlueprint(entity)).toBe(entity);
    }
  });

  it('accepts plain bp- names in dependsOn and an object logo', () => {
    const entity = toEntity(buildBlueprints(data)[0]);
    entity.spec.dependsOn = ['bp-cert-manager'];
    entity.spec.logo = { type: 'simple-icons', slug: 'flux' };
    expect(validateBlueprint(entity)).toBe(entity);
  });

  it.each([
    [
      'an installable Blueprint without a version',
      (e: any) => (e.spec.version = null),
    ],
    ['a non-semver version', (e: any) => (e.spec.version = '1.1')],
    ['a name without bp-', (e: any) => (e.metadata.name = 'flux')],
    ['an unknown tier', (e: any) => (e.spec.tier = 'gold')],
    [
      'a dependsOn that is not a Blueprint',
      (e: any) => (e.spec.dependsOn = ['component:default/flux']),
    ],
    ['a missing oci', (e: any) => delete e.spec.oci],
  ])('rejects %s', (_, mutate) => {
    const entity = clone(toEntity(buildBlueprints(data)[0]));
    mutate(entity);
    expect(() => validateBlueprint(entity)).toThrow();
  });

  it('rejects a version on a Blueprint that is not installable', () => {
    const opentofu = buildBlueprints(data).find(b => b.name === 'bp-opentofu')!;
    const entity = toEntity(opentofu);
    expect(validateBlueprint(entity)).toBe(entity);
    entity.spec.version = '1.0.0';
    expect(() => validateBlueprint(entity)).toThrow();
  });
});

describe('Voucher kind', () => {
  it('accepts a voucher, with or without an expiry', () => {
    expect(validateVoucher(voucher)).toBe(voucher);
    const noExpiry = clone(voucher);
    noExpiry.spec.expiresAt = null;
    expect(validateVoucher(noExpiry)).toBe(noExpiry);
    delete noExpiry.spec.expiresAt;
    expect(validateVoucher(noExpiry)).toBe(noExpiry);
  });

  it.each([
    ['a zero credit', (e: any) => (e.spec.credit.amount = 0)],
    ['a lower-case currency', (e: any) => (e.spec.credit.currency = 'omr')],
    ['an unknown state', (e: any) => (e.spec.state = 'paused')],
    ['negative redemptions', (e: any) => (e.spec.timesRedeemed = -1)],
    ['a missing sovereign', (e: any) => delete e.spec.sovereign],
    [
      'an expiry that is not a date',
      (e: any) => (e.spec.expiresAt = 'tomorrow'),
    ],
  ])('rejects %s', (_, mutate) => {
    const entity = clone(voucher);
    mutate(entity);
    expect(() => validateVoucher(entity)).toThrow();
  });

  it.each([
    ['a UTC time', '2027-01-31T23:59:59Z'],
    ['fractional seconds and an offset', '2027-01-31T23:59:59.123+04:00'],
  ])('accepts an ISO 8601 expiresAt: %s', (_, expiresAt) => {
    const entity = clone(voucher);
    entity.spec.expiresAt = expiresAt;
    expect(validateVoucher(entity)).toBe(entity);
  });

  it.each([
    ['a date only', '2027-01-31'],
    ['a time without zone', '2027-01-31T23:59:59'],
    ['a space instead of T', '2027-01-31 23:59:59Z'],
  ])('rejects an expiresAt that is not ISO 8601: %s', (_, expiresAt) => {
    const entity = clone(voucher);
    entity.spec.expiresAt = expiresAt;
    expect(() => validateVoucher(entity)).toThrow(/expiresAt/);
  });
});

describe('kind schemas', () => {
  // The catalog compiles kind schemas with an ajv that knows no formats: a "format" keyword stops it from starting.
  const keysOf = (value: unknown): string[] =>
    value && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)])
      : [];
  it.each([
    ['Sovereign', sovereignEntitySchema],
    ['Blueprint', blueprintEntitySchema],
    ['Voucher', voucherEntitySchema],
  ])('%s uses no ajv format', (_, schema) => {
    expect(keysOf(schema)).not.toContain('format');
  });
});
