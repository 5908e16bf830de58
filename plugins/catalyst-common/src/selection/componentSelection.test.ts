import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parseComponentCatalog } from '../data/componentCatalog';
import {
  addComponent,
  addFamily,
  alwaysIncludedComponents,
  closeSelection,
  defaultSelection,
  installationProblem,
  selectionInstallationProblems,
  normalizeComponentIds,
  removeComponent,
  removeFamily,
} from './componentSelection';

const realCatalog = parseComponentCatalog(
  readFileSync(resolve(__dirname, '../../data/components.yaml'), 'utf8'),
);
/** The selection rules as components.yaml states them, on a catalog where every Blueprint is published. */
const catalog: typeof realCatalog = {
  ...realCatalog,
  components: realCatalog.components.map(c => ({
    ...c,
    blueprint: c.blueprint ?? `bp-${c.id}@0.1.0`,
  })),
};
const defaults = defaultSelection(catalog);
const cortex = catalog.families.find(f => f.id === 'cortex')!.members;
const added = (ids: { id: string }[]) => ids.map(a => a.id).sort();

describe('defaultSelection', () => {
  it('holds the 44 default ids: every alwaysIncluded and recommended one plus dependsOn', () => {
    expect(defaults).toHaveLength(44);
    expect(defaults).toEqual([...defaults].sort());
    for (const id of alwaysIncludedComponents(catalog)) {
      expect(defaults).toContain(id);
    }
    // kserve (alwaysIncluded) and axon (recommended) are selected without pulling in CORTEX.
    expect(defaults).toContain('kserve');
    expect(defaults).toContain('axon');
    expect(defaults).not.toContain('knative');
  });

  it('is a fixed point of closeSelection', () => {
    expect(closeSelection(catalog, defaults)).toEqual(defaults);
  });
});

describe('addComponent (the examples of components.yaml)', () => {
  it('specter pulls bge, milvus, langfuse, vllm, then all of CORTEX, ferretdb and cnpg', () => {
    const result = addComponent(catalog, defaults, 'specter');
    expect(added(result.added)).toEqual(
      [
        'specter',
        'bge',
        'milvus',
        'langfuse',
        'vllm',
        'knative',
        'neo4j',
        'librechat',
        'ferretdb',
      ].sort(),
    );
    for (const member of cortex) expect(result.selection).toContain(member);
    expect(result.selection).toContain('cnpg');
    expect(result.added[0]).toEqual({ id: 'specter', reason: 'selected' });
    expect(result.added).toContainEqual({
      id: 'bge',
      reason: 'dependency',
      via: 'specter',
    });
    expect(result.added).toContainEqual({
      id: 'knative',
      reason: 'family',
      via: 'bge',
    });
    expect(result.added).toContainEqual({
      id: 'ferretdb',
      reason: 'dependency',
      via: 'librechat',
    });
  });

  it('bge pulls all of CORTEX plus ferretdb (cnpg is already there), but not FABRIC', () => {
    const result = addComponent(catalog, defaults, 'bge');
    expect(added(result.added)).toEqual(
      [
        'bge',
        'knative',
        'neo4j',
        'vllm',
        'milvus',
        'langfuse',
        'librechat',
        'ferretdb',
      ].sort(),
    );
    expect(result.selection).not.toContain('clickhouse');
    expect(result.selection).not.toContain('flink');
  });

  it('harbor on an empty selection adds cnpg, seaweedfs and valkey', () => {
    const result = addComponent(catalog, [], 'harbor');
    expect(result.selection).toEqual(['cnpg', 'harbor', 'seaweedfs', 'valkey']);
    expect(result.added.slice(1).every(a => a.via === 'harbor')).toBe(true);
  });

  it('harbor on the default selection adds nothing (already alwaysIncluded)', () => {
    expect(addComponent(catalog, defaults, 'harbor')).toEqual({
      selection: defaults,
      added: [],
      skipped: [],
    });
  });

  it('clickhouse adds only clickhouse', () => {
    const result = addComponent(catalog, defaults, 'clickhouse');
    expect(result.added).toEqual([{ id: 'clickhouse', reason: 'selected' }]);
    expect(result.selection).toEqual([...defaults, 'clickhouse'].sort());
  });

  it('throws on an unknown id', () => {
    expect(() => addComponent(catalog, defaults, 'kafka')).toThrow(
      'Unknown component "kafka"',
    );
  });
});

describe('closeSelection', () => {
  it('adds alwaysIncluded ids and dependsOn, sorted and unique', () => {
    const result = closeSelection(catalog, ['debezium', 'debezium']);
    expect(result).toContain('strimzi');
    expect(result).toEqual([...new Set(result)].sort());
    for (const id of alwaysIncludedComponents(catalog)) {
      expect(result).toContain(id);
    }
    expect(result).not.toContain('grafana');
  });

  it('applies the CORTEX cascade to members that dependsOn pulls in', () => {
    const result = closeSelection(catalog, ['specter']);
    for (const member of cortex) expect(result).toContain(member);
    expect(result).toContain('ferretdb');
  });

  it('keeps a selection reached by add and remove unchanged', () => {
    const afterAdd = addComponent(catalog, defaults, 'bge').selection;
    const afterRemove = removeComponent(catalog, afterAdd, 'knative');
    expect(afterRemove).toEqual({
      selection: afterAdd.filter(id => id !== 'knative'),
      removed: ['knative'],
    });
    const { selection } = afterRemove as { selection: string[] };
    expect(closeSelection(catalog, selection)).toEqual(selection);
  });

  it('throws naming the unknown ids', () => {
    expect(() => closeSelection(catalog, ['flux', 'kafka', 'minio'])).toThrow(
      'Unknown components: "kafka", "minio"',
    );
  });
});

describe('removeComponent', () => {
  it('refuses to remove an alwaysIncluded component', () => {
    expect(removeComponent(catalog, defaults, 'cnpg')).toEqual({
      refused: true,
      code: 'always-included',
      reason: 'CloudNative PG is always included and cannot be removed',
      neededBy: [],
    });
  });

  it('refuses to remove a component others need, naming them', () => {
    expect(removeComponent(catalog, defaults, 'strimzi')).toEqual({
      refused: true,
      code: 'needed-by',
      reason: 'Strimzi is needed by Debezium; remove it first',
      neededBy: ['debezium'],
    });
    const withCortex = addComponent(catalog, defaults, 'specter').selection;
    expect(removeComponent(catalog, withCortex, 'ferretdb')).toEqual({
      refused: true,
      code: 'needed-by',
      reason: 'FerretDB is needed by LibreChat; remove it first',
      neededBy: ['librechat'],
    });
    const refused = removeComponent(catalog, withCortex, 'bge');
    expect(refused).toMatchObject({ refused: true, neededBy: ['specter'] });
  });

  it('removes a component nothing needs', () => {
    expect(removeComponent(catalog, defaults, 'debezium')).toEqual({
      selection: defaults.filter(id => id !== 'debezium'),
      removed: ['debezium'],
    });
  });

  it('is a no-op for a component that is not selected', () => {
    expect(removeComponent(catalog, defaults, 'clickhouse')).toEqual({
      selection: defaults,
      removed: [],
    });
  });
});

describe('families', () => {
  it('addFamily adds members, and their dependsOn', () => {
    const result = addFamily(catalog, defaults, 'fabric');
    for (const member of catalog.families.find(f => f.id === 'fabric')!
      .members) {
      expect(result.selection).toContain(member);
    }
    expect(result.added).toContainEqual({ id: 'flink', reason: 'selected' });
    expect(result.selection).not.toContain('knative');
  });

  it('removeFamily keeps alwaysIncluded members (kserve survives CORTEX removal)', () => {
    const withCortex = addFamily(catalog, defaults, 'cortex').selection;
    const result = removeFamily(catalog, withCortex, 'cortex');
    expect(result).toEqual({
      selection: expect.arrayContaining(['kserve', 'ferretdb']),
      removed: cortex.filter(m => m !== 'kserve').sort(),
    });
    expect((result as { selection: string[] }).selection).not.toContain('axon');
  });

  it('removeFamily refuses when a component outside needs a member', () => {
    const withSpecter = addComponent(catalog, defaults, 'specter').selection;
    expect(removeFamily(catalog, withSpecter, 'cortex')).toEqual({
      refused: true,
      code: 'needed-by',
      reason: 'CORTEX components are needed by Specter; remove it first',
      neededBy: ['specter'],
    });
  });

  it('removeFamily refuses a family whose members are all alwaysIncluded', () => {
    expect(removeFamily(catalog, defaults, 'silo')).toMatchObject({
      refused: true,
      code: 'always-included',
    });
  });

  it('removeFamily removes the optional members of a mandatory family', () => {
    const selection = addComponent(catalog, defaults, 'strongswan').selection;
    expect(removeFamily(catalog, selection, 'spine')).toEqual({
      selection: selection.filter(id => !['frpc', 'strongswan'].includes(id)),
      removed: ['frpc', 'strongswan'],
    });
  });
});

describe('components without a published Blueprint (the real catalog)', () => {
  const realDefaults = defaultSelection(realCatalog);
  const notInstallable = realCatalog.components
    .filter(c => c.blueprint === null)
    .map(c => c.id);

  it('are never pre-selected, not even when mandatory', () => {
    expect(notInstallable).toEqual(
      expect.arrayContaining(['opentofu', 'ferretdb', 'axon', 'clickhouse']),
    );
    expect(realDefaults).toHaveLength(32);
    for (const id of notInstallable) expect(realDefaults).not.toContain(id);
    expect(alwaysIncludedComponents(realCatalog)).not.toContain('opentofu');
    expect(closeSelection(realCatalog, realDefaults)).toEqual(realDefaults);
  });

  it('refuses a component that is not installable, and one whose dependency is not, naming it', () => {
    expect(installationProblem(realCatalog, 'clickhouse')).toBe(
      'ClickHouse is not installable yet: no Blueprint is published for it',
    );
    expect(installationProblem(realCatalog, 'librechat')).toBe(
      'LibreChat needs FerretDB, which is not installable yet (no published Blueprint)',
    );
    expect(installationProblem(realCatalog, 'grafana')).toBeUndefined();
    const result = addComponent(realCatalog, realDefaults, 'librechat');
    expect(result).toEqual({
      selection: realDefaults,
      added: [],
      skipped: [
        {
          id: 'librechat',
          reason: 'selected',
          problem:
            'LibreChat needs FerretDB, which is not installable yet (no published Blueprint)',
        },
      ],
    });
    expect(
      selectionInstallationProblems(realCatalog, [
        ...realDefaults,
        'librechat',
      ]),
    ).toEqual([
      'LibreChat needs FerretDB, which is not installable yet (no published Blueprint)',
    ]);
  });

  it('the CORTEX suite adds its installable members and says which it left out', () => {
    const result = addComponent(realCatalog, realDefaults, 'vllm');
    expect(added(result.added)).toEqual(
      ['bge', 'knative', 'langfuse', 'vllm'].sort(),
    );
    expect(result.skipped.map(s => s.id).sort()).toEqual(
      ['axon', 'librechat', 'milvus', 'neo4j'].sort(),
    );
    expect(result.skipped.find(s => s.id === 'librechat')).toEqual({
      id: 'librechat',
      reason: 'family',
      via: 'vllm',
      problem:
        'LibreChat needs FerretDB, which is not installable yet (no published Blueprint)',
    });
  });
});

describe('normalizeComponentIds', () => {
  it('maps minio to seaweedfs, drops unknown ids and non-strings, sorts and de-duplicates', () => {
    expect(
      normalizeComponentIds(catalog, [
        'minio',
        'Flux',
        'kafka',
        3,
        'seaweedfs',
      ]),
    ).toEqual(['flux', 'seaweedfs']);
    expect(normalizeComponentIds(catalog, 'flux')).toEqual([]);
  });
});
