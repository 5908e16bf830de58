import { Entity } from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-node';
import { buildBlueprints } from '@catalyst/plugin-catalyst-common';
import { sovereignRecord, voucherRecord } from '../__fixtures__/records';
import { blueprintToEntity } from '../entities/blueprintEntity';
import { sovereignRecordToEntity } from '../entities/sovereignEntity';
import { voucherRecordToEntity } from '../entities/voucherEntity';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';
import { CatalystEntitiesProcessor } from './CatalystEntitiesProcessor';

const location: LocationSpec = { type: 'url', target: 'catalyst-test:fixture' };
const processor = new CatalystEntitiesProcessor();
const blueprints = buildBlueprints(loadCatalystData());
const gitea = blueprintToEntity(
  blueprints.find(b => b.name === 'bp-gitea')!,
  'group:default/openova',
);

function withSpec(entity: Entity, patch: (spec: any) => void): Entity {
  const copy = JSON.parse(JSON.stringify(entity));
  patch(copy.spec);
  return copy;
}

async function relationsOf(entity: Entity) {
  const emit = jest.fn();
  await processor.postProcessEntity(entity, location, emit);
  return emit.mock.calls.map(([r]) => r.relation);
}

describe('CatalystEntitiesProcessor', () => {
  it('does not claim other kinds', async () => {
    expect(
      await processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: { type: 'service', owner: 'me', lifecycle: 'production' },
      }),
    ).toBe(false);
  });

  describe('Blueprint', () => {
    it('accepts every published Blueprint', async () => {
      for (const b of blueprints) {
        await expect(
          processor.validateEntityKind(
            blueprintToEntity(b, 'group:default/openova'),
          ),
        ).resolves.toBe(true);
      }
    });

    it('rejects a Blueprint without a chart, naming the field', async () => {
      await expect(
        processor.validateEntityKind(withSpec(gitea, s => delete s.chart)),
      ).rejects.toThrow(/chart/);
    });

    it('emits dependsOn/dependencyOf and partOf its family', async () => {
      const relations = await relationsOf(gitea);
      const self = {
        kind: 'Blueprint',
        namespace: 'default',
        name: 'bp-gitea',
      };
      const keycloak = {
        kind: 'blueprint',
        namespace: 'default',
        name: 'bp-keycloak',
      };
      expect(relations).toEqual(
        expect.arrayContaining([
          { source: self, type: 'dependsOn', target: keycloak },
          { source: keycloak, type: 'dependencyOf', target: self },
          {
            source: self,
            type: 'partOf',
            target: {
              kind: 'system',
              namespace: 'default',
              name: 'family-pilot',
            },
          },
          {
            source: {
              kind: 'system',
              namespace: 'default',
              name: 'family-pilot',
            },
            type: 'hasPart',
            target: self,
          },
        ]),
      );
    });

    it('is owned by the team that publishes the Blueprint catalog', async () => {
      const relations = await relationsOf(gitea);
      const self = {
        kind: 'Blueprint',
        namespace: 'default',
        name: 'bp-gitea',
      };
      const owner = { kind: 'group', namespace: 'default', name: 'openova' };
      expect(relations).toEqual(
        expect.arrayContaining([
          { source: self, type: 'ownedBy', target: owner },
          { source: owner, type: 'ownerOf', target: self },
        ]),
      );
    });
  });

  describe('Sovereign', () => {
    const entity = sovereignRecordToEntity(sovereignRecord());

    it('accepts a published Sovereign', async () => {
      await expect(processor.validateEntityKind(entity)).resolves.toBe(true);
    });

    it('rejects a Sovereign without an owner, naming the field', async () => {
      await expect(
        processor.validateEntityKind(withSpec(entity, s => delete s.owner)),
      ).rejects.toThrow(/owner/);
    });

    it('rejects a Sovereign with an unknown phase, naming the field', async () => {
      await expect(
        processor.validateEntityKind(
          withSpec(entity, s => (s.phase = 'exploded')),
        ),
      ).rejects.toThrow(/phase/);
    });

    it('emits ownedBy its group and dependsOn each Blueprint it runs (no dependencyOf back)', async () => {
      const relations = await relationsOf(entity);
      const self = {
        kind: 'Sovereign',
        namespace: 'default',
        name: 'omantel-omani-works',
      };
      const group = {
        kind: 'group',
        namespace: 'default',
        name: 'omantel-platform',
      };
      expect(relations).toEqual(
        expect.arrayContaining([
          { source: self, type: 'ownedBy', target: group },
          { source: group, type: 'ownerOf', target: self },
          {
            source: self,
            type: 'dependsOn',
            target: {
              kind: 'blueprint',
              namespace: 'default',
              name: 'bp-gitea',
            },
          },
        ]),
      );
      expect(relations.filter(r => r.type === 'dependsOn')).toHaveLength(3);
      // A Blueprint runs on every Sovereign: the reverse relation would re-stitch it with all of them each time.
      expect(relations.filter(r => r.type === 'dependencyOf')).toEqual([]);
    });
  });

  describe('Voucher', () => {
    const entity = voucherRecordToEntity(voucherRecord());

    it('accepts a published Voucher in the namespace of its Sovereign', async () => {
      expect(entity.metadata.namespace).toBe('omantel-omani-works');
      await expect(processor.validateEntityKind(entity)).resolves.toBe(true);
    });

    it('rejects a Voucher without credit, naming the field', async () => {
      await expect(
        processor.validateEntityKind(withSpec(entity, s => delete s.credit)),
      ).rejects.toThrow(/credit/);
    });

    it('rejects a Voucher whose expiresAt is not a timestamp, naming the field', async () => {
      await expect(
        processor.validateEntityKind(
          withSpec(entity, s => (s.expiresAt = 'next tuesday')),
        ),
      ).rejects.toThrow(/expiresAt/);
    });

    it('emits ownedBy its issuer and partOf its Sovereign, forward only', async () => {
      const relations = await relationsOf(entity);
      const self = {
        kind: 'Voucher',
        namespace: 'omantel-omani-works',
        name: 'v-01hx3k9d2f',
      };
      const sovereign = {
        kind: 'sovereign',
        namespace: 'default',
        name: 'omantel-omani-works',
      };
      expect(relations).toEqual(
        expect.arrayContaining([
          {
            source: self,
            type: 'ownedBy',
            target: { kind: 'user', namespace: 'default', name: 'amal' },
          },
          { source: self, type: 'partOf', target: sovereign },
        ]),
      );
      // The Sovereign and the issuer would carry one reverse relation per voucher, re-stitched on every change.
      expect(relations).toHaveLength(2);
    });
  });
});

describe('CatalystEntitiesProcessor: where Catalyst kinds may come from', () => {
  const sovereign = sovereignRecordToEntity(sovereignRecord());
  const voucher = voucherRecordToEntity(voucherRecord());

  const preProcess = (entity: Entity, type: string, target: string) =>
    processor.preProcessEntity(entity, { type, target }, jest.fn(), {
      type,
      target,
    });

  it("accepts each kind from its own provider's location", async () => {
    await expect(
      preProcess(sovereign, 'catalyst-sovereigns', sovereign.metadata.name),
    ).resolves.toBe(sovereign);
    await expect(
      preProcess(voucher, 'catalyst-vouchers', voucher.metadata.name),
    ).resolves.toBe(voucher);
    await expect(
      preProcess(gitea, 'catalyst-blueprints', 'bp-gitea'),
    ).resolves.toBe(gitea);
  });

  it.each([
    ['url', 'https://github.com/mallory/catalog/blob/main/sovereign.yaml'],
    ['file', '/tmp/sovereign.yaml'],
    ['catalyst-organizations', 'another-provider'],
  ])(
    'refuses a Sovereign, Voucher or Blueprint from a %s location',
    async (type, target) => {
      for (const entity of [sovereign, voucher, gitea]) {
        await expect(preProcess(entity, type, target)).rejects.toThrow(
          /entities are accepted only from Catalyst's catalyst-(sovereigns|vouchers|blueprints) provider/,
        );
      }
    },
  );

  it('refuses the kind whatever apiVersion and letter case a registered file claims', async () => {
    const forged: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'SOVEREIGN',
      metadata: { name: 'team-b-sovereign' },
      spec: { owner: 'group:default/team-a' },
    };
    await expect(
      preProcess(forged, 'url', 'https://example.com/x.yaml'),
    ).rejects.toThrow(/accepted only from Catalyst's catalyst-sovereigns/);
  });

  it('leaves other kinds from any location alone', async () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: { type: 'service', owner: 'me', lifecycle: 'production' },
    };
    await expect(
      preProcess(component, 'url', 'https://example.com/x.yaml'),
    ).resolves.toBe(component);
  });
});
