import type { Entity } from '@backstage/catalog-model';
import { firstAppChoices, pickedRef, sovereignChoices } from './TenantPickers';

const blueprint = (
  name: string,
  title: string,
  spec: { installable?: boolean; alwaysIncluded?: boolean },
): Entity => ({
  apiVersion: 'catalyst.openova.io/v1alpha1',
  kind: 'Blueprint',
  metadata: { name, namespace: 'default', title },
  spec,
});

const sovereign = (
  name: string,
  spec: NonNullable<Entity['spec']>,
): Entity => ({
  apiVersion: 'catalyst.openova.io/v1alpha1',
  kind: 'Sovereign',
  metadata: { name, namespace: 'default' },
  spec,
});

describe('firstAppChoices', () => {
  const catalog = [
    blueprint('bp-grafana', 'Grafana', { installable: true }),
    blueprint('bp-alloy', 'Alloy', { installable: true }),
    blueprint('bp-cilium', 'Cilium', {
      installable: true,
      alwaysIncluded: true,
    }),
    blueprint('bp-axon', 'Axon', { installable: false }),
    blueprint('bp-gitea', 'Gitea', { installable: true }),
  ];

  it('offers exactly the installed Blueprints a tenant installs, by title', () => {
    const runs = sovereign('a-example-org', {
      blueprints: [
        'bp-grafana@2.0.5',
        'bp-cilium@1.1.1',
        'bp-axon@0.1.0',
        'bp-alloy@1.0.0',
      ],
    });
    expect(firstAppChoices(runs, catalog)).toEqual([
      { ref: 'blueprint:default/bp-alloy', name: 'bp-alloy', title: 'Alloy' },
      {
        ref: 'blueprint:default/bp-grafana',
        name: 'bp-grafana',
        title: 'Grafana',
      },
    ]);
  });

  it('offers nothing for a Sovereign that runs no tenant App, or none chosen', () => {
    expect(
      firstAppChoices(
        sovereign('b', { blueprints: ['bp-cilium@1.1.1'] }),
        catalog,
      ),
    ).toEqual([]);
    expect(firstAppChoices(undefined, catalog)).toEqual([]);
  });
});

describe('sovereignChoices', () => {
  it('lists ready Sovereigns by FQDN only', () => {
    expect(
      sovereignChoices([
        sovereign('z-example-org', { fqdn: 'z.example.org', phase: 'ready' }),
        sovereign('gone-example-org', {
          fqdn: 'gone.example.org',
          phase: 'decommissioned',
        }),
        sovereign('a-example-org', { fqdn: 'a.example.org', phase: 'ready' }),
      ]),
    ).toEqual([
      {
        ref: 'sovereign:default/a-example-org',
        fqdn: 'a.example.org',
        phase: 'ready',
      },
      {
        ref: 'sovereign:default/z-example-org',
        fqdn: 'z.example.org',
        phase: 'ready',
      },
    ]);
  });
});

describe('pickedRef', () => {
  it('reads a picked value or a bare ref handed over in a link', () => {
    expect(pickedRef({ ref: 'sovereign:default/a', fqdn: 'a' })).toBe(
      'sovereign:default/a',
    );
    expect(pickedRef('sovereign:default/a')).toBe('sovereign:default/a');
    expect(pickedRef(undefined)).toBeUndefined();
    expect(pickedRef({})).toBeUndefined();
  });
});
