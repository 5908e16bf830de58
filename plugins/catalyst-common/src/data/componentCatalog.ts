import { z } from 'zod/v3';
import {
  assertUnique,
  CatalystDataError,
  parseDataFile,
  semverPattern,
} from './dataFile';

const COMPONENTS_FILE = 'data/components.yaml';

export const COMPONENT_TIERS = [
  'mandatory',
  'recommended',
  'optional',
] as const;
export type ComponentTier = (typeof COMPONENT_TIERS)[number];

const idPattern = /^[a-z][a-z0-9-]*$/;
const id = z.string().regex(idPattern, 'must be a lower-case id (a-z, 0-9, -)');

export const componentFamilySchema = z
  .object({
    id,
    name: z.string().min(1),
    subtitle: z.string().min(1),
    description: z.string().min(1),
    tier: z.enum(COMPONENT_TIERS),
    required: z.boolean(),
    cascadeOnMemberSelection: z.boolean(),
    familyDependencies: z.array(id),
    members: z.array(id).min(1),
  })
  .strict();

/** `bp-<name>@<semver>`: the Blueprint chart the component installs. */
const blueprintRef = z
  .string()
  .regex(/^bp-[a-z][a-z0-9-]*@\S+$/, 'must look like bp-<name>@<semver>')
  .refine(v => semverPattern.test(v.slice(v.indexOf('@') + 1)), {
    message: 'version after @ must be semver (x.y.z)',
  });

export const componentSchema = z
  .object({
    id,
    name: z.string().min(1),
    family: id,
    tier: z.enum(COMPONENT_TIERS),
    alwaysIncluded: z.boolean(),
    defaultSelected: z.boolean(),
    dependsOn: z.array(id),
    logo: z.string().min(1).nullable(),
    blueprint: blueprintRef.nullable(),
    kitSlot: z.number().int().positive().nullable(),
    description: z.string().min(1),
  })
  .strict();

export const componentCatalogSchema = z
  .object({
    schemaVersion: z.literal(1),
    rules: z
      .object({
        transitiveMandatory: z.string(),
        defaultSelection: z.string(),
        add: z.string(),
        remove: z.string(),
        addFamily: z.string(),
        removeFamily: z.string(),
        cortexWholeFamily: z.string(),
        examples: z.array(
          z.object({ add: id, result: z.string().min(1) }).strict(),
        ),
      })
      .strict(),
    families: z.array(componentFamilySchema).min(1),
    components: z.array(componentSchema).min(1),
  })
  .strict();

export type ComponentFamily = z.infer<typeof componentFamilySchema>;
export type Component = z.infer<typeof componentSchema>;
export type ComponentCatalog = z.infer<typeof componentCatalogSchema>;

/** Every id reachable from `start` over `dependsOn` (including `start`), in breadth-first order. */
export function dependencyClosure(
  catalog: ComponentCatalog,
  start: Iterable<string>,
): string[] {
  const byId = new Map(catalog.components.map(c => [c.id, c]));
  const seen = new Set<string>();
  const queue = [...start];
  const out: string[] = [];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next)) continue;
    seen.add(next);
    out.push(next);
    for (const dep of byId.get(next)?.dependsOn ?? []) {
      if (!seen.has(dep)) queue.push(dep);
    }
  }
  return out;
}

/**
 * The components that can never be deselected: every tier=mandatory component plus everything it reaches
 * over dependsOn (the transitive-mandatory rule; today this promotes cnpg and valkey). Sorted.
 */
export function computeAlwaysIncluded(catalog: ComponentCatalog): string[] {
  const mandatory = catalog.components
    .filter(c => c.tier === 'mandatory')
    .map(c => c.id);
  return dependencyClosure(catalog, mandatory).sort();
}

/** Every alwaysIncluded or recommended component plus its transitive dependsOn, sorted. */
export function computeDefaultSelection(catalog: ComponentCatalog): string[] {
  const always = new Set(computeAlwaysIncluded(catalog));
  const seeds = catalog.components
    .filter(c => always.has(c.id) || c.tier === 'recommended')
    .map(c => c.id);
  return dependencyClosure(catalog, seeds).sort();
}

/** Splits `bp-<name>@<version>` into its parts. */
export function parseBlueprintRef(ref: string): {
  chart: string;
  version: string;
} {
  const at = ref.indexOf('@');
  return { chart: ref.slice(0, at), version: ref.slice(at + 1) };
}

function findCycle(catalog: ComponentCatalog): string[] | undefined {
  const byId = new Map(catalog.components.map(c => [c.id, c]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') {
      return [...stack.slice(stack.indexOf(node)), node];
    }
    state.set(node, 'visiting');
    stack.push(node);
    for (const dep of byId.get(node)?.dependsOn ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const c of catalog.components) {
    const cycle = visit(c.id);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Checks the invariants the zod shape cannot express: references resolve, each component sits in exactly one
 * family, the dependsOn graph is acyclic, and the alwaysIncluded / defaultSelected flags equal what the rules
 * compute (the file carries them for readers; the rules are the authority).
 */
export function checkComponentCatalog(
  catalog: ComponentCatalog,
  file: string = COMPONENTS_FILE,
): ComponentCatalog {
  assertUnique(file, 'families', catalog.families, f => f.id);
  assertUnique(file, 'components', catalog.components, c => c.id);
  const familyIds = new Set(catalog.families.map(f => f.id));
  const componentIds = new Set(catalog.components.map(c => c.id));

  catalog.families.forEach((family, i) => {
    family.familyDependencies.forEach((dep, j) => {
      if (!familyIds.has(dep)) {
        throw new CatalystDataError(
          file,
          `families[${i}].familyDependencies[${j}]`,
          `unknown family "${dep}"`,
        );
      }
    });
    family.members.forEach((member, j) => {
      const component = catalog.components.find(c => c.id === member);
      if (!component) {
        throw new CatalystDataError(
          file,
          `families[${i}].members[${j}]`,
          `unknown component "${member}"`,
        );
      }
      if (component.family !== family.id) {
        throw new CatalystDataError(
          file,
          `families[${i}].members[${j}]`,
          `component "${member}" declares family "${component.family}", not "${family.id}"`,
        );
      }
    });
  });

  catalog.components.forEach((component, i) => {
    const field = `components[${i}]`;
    const family = catalog.families.find(f => f.id === component.family);
    if (!family) {
      throw new CatalystDataError(
        file,
        `${field}.family`,
        `unknown family "${component.family}"`,
      );
    }
    if (!family.members.includes(component.id)) {
      throw new CatalystDataError(
        file,
        `${field}.family`,
        `component "${component.id}" is missing from the members of family "${family.id}"`,
      );
    }
    component.dependsOn.forEach((dep, j) => {
      if (!componentIds.has(dep)) {
        throw new CatalystDataError(
          file,
          `${field}.dependsOn[${j}]`,
          `unknown component "${dep}"`,
        );
      }
      if (dep === component.id) {
        throw new CatalystDataError(
          file,
          `${field}.dependsOn[${j}]`,
          `component "${dep}" depends on itself`,
        );
      }
    });
    if (component.blueprint) {
      const { chart } = parseBlueprintRef(component.blueprint);
      if (chart !== `bp-${component.id}`) {
        throw new CatalystDataError(
          file,
          `${field}.blueprint`,
          `chart "${chart}" must be named bp-${component.id}`,
        );
      }
    }
    if (component.kitSlot !== null && component.blueprint === null) {
      throw new CatalystDataError(
        file,
        `${field}.kitSlot`,
        `component "${component.id}" has a kit slot but no blueprint`,
      );
    }
  });

  const cycle = findCycle(catalog);
  if (cycle) {
    throw new CatalystDataError(
      file,
      'components',
      `dependsOn has a cycle: ${cycle.join(' -> ')}`,
    );
  }

  // The two derived flags must match the rules that compute them, so the file cannot drift from the rules.
  const derived = [
    {
      flag: 'alwaysIncluded',
      rule: 'transitive-mandatory',
      ids: new Set(computeAlwaysIncluded(catalog)),
    },
    {
      flag: 'defaultSelected',
      rule: 'default-selection',
      ids: new Set(computeDefaultSelection(catalog)),
    },
  ] as const;
  catalog.components.forEach((component, i) => {
    for (const { flag, rule, ids } of derived) {
      if (component[flag] !== ids.has(component.id)) {
        throw new CatalystDataError(
          file,
          `components[${i}].${flag}`,
          `is ${component[flag]} for "${
            component.id
          }" but the ${rule} rule gives ${ids.has(component.id)}`,
        );
      }
    }
  });
  return catalog;
}

/** Parses and checks data/components.yaml. Throws a {@link CatalystDataError} naming the field on any problem. */
export function parseComponentCatalog(
  text: string,
  file: string = COMPONENTS_FILE,
): ComponentCatalog {
  return checkComponentCatalog(
    parseDataFile(file, text, componentCatalogSchema),
    file,
  );
}
