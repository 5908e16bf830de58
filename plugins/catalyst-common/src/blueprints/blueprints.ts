import { CatalystData } from '../data/catalystData';
import {
  ComponentCatalog,
  ComponentTier,
  parseBlueprintRef,
} from '../data/componentCatalog';

/** Thrown when a component set cannot be turned into a Blueprint set: unknown id, missing target or cycle. */
export class BlueprintResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlueprintResolutionError';
  }
}

/** One Blueprint: a component's chart, or a kit-only infrastructure release. */
export interface BlueprintDefinition {
  /** `bp-<id>`; also the entity name and the HelmRelease name. */
  name: string;
  /** The component it installs; null for kit-only infrastructure. */
  componentId: string | null;
  title: string;
  /** Family id; kit-only releases belong to the synthetic `infrastructure` family. */
  family: string;
  chart: string;
  /** Chart version; null when no chart is published (then `installable` is false). */
  version: string | null;
  oci: string;
  /** The namespace the release installs into. */
  namespace: string;
  /** `bp-…` names: the kit's dependsOn when the kit has the release, else the catalog's dependsOn. */
  dependsOn: string[];
  alwaysIncluded: boolean;
  defaultSelected: boolean;
  tier: ComponentTier;
  description: string;
  logo: string | null;
  kitSlot: number | null;
  upstream: string | null;
  installable: boolean;
}

export interface BlueprintFamilyInfo {
  id: string;
  name: string;
  subtitle: string;
  description: string;
}

/** The family of releases every Sovereign gets that the wizard does not offer (component: null in the kit). */
export const INFRASTRUCTURE_FAMILY: BlueprintFamilyInfo = Object.freeze({
  id: 'infrastructure',
  name: 'INFRASTRUCTURE',
  subtitle: 'Bootstrap infrastructure',
  description:
    'Releases every Sovereign installs at first boot that are not offered as components',
});

/** The catalog's families, in file order, followed by the synthetic `infrastructure` family. */
export function blueprintFamilies(
  catalog: ComponentCatalog,
): BlueprintFamilyInfo[] {
  return [
    ...catalog.families.map(({ id, name, subtitle, description }) => ({
      id,
      name,
      subtitle,
      description,
    })),
    { ...INFRASTRUCTURE_FAMILY },
  ];
}

/** `nats-jetstream` → `Nats Jetstream`: a readable title for kit-only releases, which have no display name. */
function titleFromName(name: string): string {
  return name
    .split('-')
    .map(word => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** Returns a cycle (as a name path) in a dependsOn graph, or undefined. */
export function findDependsOnCycle(
  nodes: ReadonlyArray<{ name: string; dependsOn: readonly string[] }>,
): string[] | undefined {
  const byName = new Map(nodes.map(n => [n.name, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') {
      return [...stack.slice(stack.indexOf(name)), name];
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const node of nodes) {
    const cycle = visit(node.name);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * One Blueprint per component plus every kit-only release. Every dependsOn target exists and the graph is
 * acyclic; otherwise this throws a {@link BlueprintResolutionError}.
 */
export function buildBlueprints(data: CatalystData): BlueprintDefinition[] {
  const { components, bootstrapKit } = data;
  const repository = bootstrapKit.repository;
  const out: BlueprintDefinition[] = components.components.map(component => {
    const name = `bp-${component.id}`;
    const kit = bootstrapKit.entries.find(e => e.component === component.id);
    const version = component.blueprint
      ? parseBlueprintRef(component.blueprint).version
      : null;
    return {
      name,
      componentId: component.id,
      title: component.name,
      family: component.family,
      chart: name,
      version,
      oci: `${repository}/${name}`,
      namespace: kit?.targetNamespace ?? component.id,
      dependsOn: kit
        ? [...kit.dependsOn]
        : component.dependsOn.map(dep => `bp-${dep}`),
      alwaysIncluded: component.alwaysIncluded,
      defaultSelected: component.defaultSelected,
      tier: component.tier,
      description: component.description,
      logo: component.logo,
      kitSlot: component.kitSlot,
      upstream: kit?.upstream ?? null,
      installable: version !== null,
    };
  });
  for (const entry of bootstrapKit.entries) {
    if (entry.component !== null) continue;
    out.push({
      name: entry.chart,
      componentId: null,
      title: titleFromName(entry.name),
      family: INFRASTRUCTURE_FAMILY.id,
      chart: entry.chart,
      version: entry.version,
      oci: entry.oci,
      namespace: entry.targetNamespace,
      dependsOn: [...entry.dependsOn],
      alwaysIncluded: true,
      defaultSelected: true,
      tier: 'mandatory',
      description: entry.upstream
        ? `Bootstrap infrastructure release wrapping ${entry.upstream}`
        : 'Bootstrap infrastructure release',
      logo: null,
      kitSlot: entry.slot,
      upstream: entry.upstream,
      installable: true,
    });
  }

  const names = new Set(out.map(b => b.name));
  for (const blueprint of out) {
    for (const dep of blueprint.dependsOn) {
      if (!names.has(dep)) {
        throw new BlueprintResolutionError(
          `${blueprint.name} depends on unknown Blueprint "${dep}"`,
        );
      }
    }
  }
  const cycle = findDependsOnCycle(out);
  if (cycle) {
    throw new BlueprintResolutionError(
      `Blueprint dependsOn cycle: ${cycle.join(' -> ')}`,
    );
  }
  return out;
}
