import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { BlueprintEntityProvider } from './BlueprintEntityProvider';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';

describe('catalyst-blueprints provider', () => {
  const data = loadCatalystData();
  const provider = new BlueprintEntityProvider(data, {
    owner: 'group:default/openova',
    logger: mockServices.logger.mock(),
  });
  const entities = provider.getEntities();
  const blueprints = entities.filter(e => e.kind === 'Blueprint');
  const systems = entities.filter(e => e.kind === 'System');
  const byName = new Map(blueprints.map(b => [b.metadata.name, b]));
  const spec = (e: Entity) => e.spec as any;

  it('publishes one Blueprint per component plus the 5 kit-only releases, and 10 family Systems', () => {
    expect(data.components.components).toHaveLength(63);
    expect(blueprints).toHaveLength(63 + 5);
    expect(
      blueprints
        .filter(b => spec(b).component === null)
        .map(b => b.metadata.name)
        .sort(),
    ).toEqual([
      'bp-catalyst-platform',
      'bp-crossplane-claims',
      'bp-nats-jetstream',
      'bp-sealed-secrets',
      'bp-spire',
    ]);
    expect(systems.map(s => s.metadata.name)).toEqual([
      'family-pilot',
      'family-spine',
      'family-surge',
      'family-silo',
      'family-guardian',
      'family-insights',
      'family-fabric',
      'family-cortex',
      'family-relay',
      'family-infrastructure',
    ]);
    expect(
      blueprints.filter(b => spec(b).alwaysIncluded && spec(b).component),
    ).toHaveLength(24);
  });

  it('has a dependsOn graph whose targets all exist and which has no cycle', () => {
    for (const b of blueprints) {
      for (const ref of spec(b).dependsOn as string[]) {
        expect(ref).toMatch(/^blueprint:default\/bp-/);
        expect(byName.has(ref.split('/')[1])).toBe(true);
      }
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, path: string[]) => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') {
        throw new Error(`cycle: ${[...path, name].join(' -> ')}`);
      }
      state.set(name, 'visiting');
      for (const ref of spec(byName.get(name)!).dependsOn as string[]) {
        visit(ref.split('/')[1], [...path, name]);
      }
      state.set(name, 'done');
    };
    for (const name of byName.keys()) visit(name, []);
  });

  it('carries chart coordinates, family labels, tags and a logo that is never broken', () => {
    const gitea = byName.get('bp-gitea')!;
    expect(gitea.metadata).toMatchObject({
      title: 'Gitea',
      labels: { 'catalyst.openova.io/family': 'pilot' },
      annotations: {
        'backstage.io/managed-by-location':
          'catalyst-blueprints:blueprints/bp-gitea',
        'backstage.io/managed-by-origin-location':
          'catalyst-blueprints:blueprints/bp-gitea',
        'catalyst.openova.io/logo-slug': 'gitea',
      },
    });
    expect(gitea.metadata.tags).toEqual(
      expect.arrayContaining(['pilot', 'always-included']),
    );
    expect(spec(gitea)).toMatchObject({
      family: 'pilot',
      chart: 'bp-gitea',
      version: '1.1.2',
      oci: 'oci://ghcr.io/openova-io/bp-gitea',
      ociReference: 'oci://ghcr.io/openova-io/bp-gitea:1.1.2',
      namespace: 'gitea',
      dependsOn: ['blueprint:default/bp-keycloak'],
      alwaysIncluded: true,
    });
    expect(spec(gitea).logo.type).toBe('simple-icons');
    const svg = Buffer.from(
      spec(gitea).logo.dataUrl.replace('data:image/svg+xml;base64,', ''),
      'base64',
    ).toString();
    expect(svg).toMatch(/^<svg fill="#[0-9A-F]{6}" /);

    const logoProblems = blueprints.flatMap(b => {
      const logo = spec(b).logo;
      const ok =
        logo.type === 'simple-icons'
          ? /^data:image\/svg\+xml;base64,/.test(logo.dataUrl)
          : logo.type === 'letter' &&
            /^[A-Z0-9]$/.test(logo.letter) &&
            /^[0-9A-F]{6}$/.test(logo.hex);
      return ok ? [] : [b.metadata.name];
    });
    expect(logoProblems).toEqual([]);
    expect(
      blueprints.filter(b => spec(b).logo.type === 'simple-icons').length,
    ).toBeGreaterThanOrEqual(20);
    expect(spec(byName.get('bp-cert-manager')!).logo).toMatchObject({
      type: 'letter',
      letter: 'C',
    });

    const opentofu = byName.get('bp-opentofu')!;
    expect(spec(opentofu)).toMatchObject({
      installable: false,
      version: null,
      ociReference: null,
    });
    expect(opentofu.metadata.tags).toContain('not-installable');
  });

  it('replaces everything it owns in one full mutation', async () => {
    const applyMutation = jest.fn();
    await provider.connect({ applyMutation, refresh: jest.fn() });
    expect(applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: 'catalyst-blueprints',
      })),
    });
  });
});
