import {
  Entity,
  RELATION_DEPENDS_ON,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { blueprintSpec, sovereignSpec } from '../catalystEntities';

/** One installed Blueprint of a Sovereign. `entity` is missing when the catalog does not (yet) know it. */
export interface BlueprintGraphNode {
  /** Lower-cased entity ref, the node's identity. */
  ref: string;
  name: string;
  title: string;
  /** The version the Sovereign runs (from its resolved list), else the catalog's version. */
  version?: string;
  family?: string;
  entity?: Entity;
}

/** `dependent` needs `dependency`; both are node refs. */
export interface BlueprintGraphEdge {
  dependency: string;
  dependent: string;
}

export interface BlueprintGraph {
  nodes: BlueprintGraphNode[];
  edges: BlueprintGraphEdge[];
}

const BLUEPRINT_KIND = 'blueprint';

function normalizedRef(
  ref: string,
  defaultNamespace: string,
): string | undefined {
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: BLUEPRINT_KIND,
      defaultNamespace,
    });
    if (parsed.kind.toLocaleLowerCase('en-US') !== BLUEPRINT_KIND) {
      return undefined;
    }
    return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** Splits a resolved release `bp-<name>@<version>` into name and version. */
function splitRelease(release: string): { name: string; version?: string } {
  const at = release.lastIndexOf('@');
  return at > 0
    ? { name: release.slice(0, at), version: release.slice(at + 1) }
    : { name: release };
}

/**
 * The Blueprints a Sovereign runs, as lower-cased entity refs, with the versions it runs them at. Reads the
 * `dependsOn` relations the catalog emitted and the resolved `spec.blueprints` list, so the picture is
 * complete even before the relations have been processed.
 */
export function sovereignBlueprintRefs(
  sovereign: Entity,
): Map<string, { version?: string }> {
  const refs = new Map<string, { version?: string }>();
  for (const relation of sovereign.relations ?? []) {
    if (relation.type !== RELATION_DEPENDS_ON) continue;
    const ref = normalizedRef(relation.targetRef, 'default');
    if (ref) refs.set(ref, {});
  }
  for (const release of sovereignSpec(sovereign).blueprints ?? []) {
    if (typeof release !== 'string') continue;
    const { name, version } = splitRelease(release);
    const ref = normalizedRef(name, 'default');
    if (ref) refs.set(ref, { version });
  }
  return refs;
}

/** What a Blueprint entity depends on: its `dependsOn` relations and its `spec.dependsOn` list. */
export function blueprintDependencies(blueprint: Entity): string[] {
  const namespace = blueprint.metadata.namespace ?? 'default';
  const deps = new Set<string>();
  for (const relation of blueprint.relations ?? []) {
    if (relation.type !== RELATION_DEPENDS_ON) continue;
    const ref = normalizedRef(relation.targetRef, namespace);
    if (ref) deps.add(ref);
  }
  for (const dep of blueprintSpec(blueprint).dependsOn ?? []) {
    if (typeof dep !== 'string') continue;
    const ref = normalizedRef(dep, namespace);
    if (ref) deps.add(ref);
  }
  return [...deps];
}

/**
 * Builds the dependency graph of a Sovereign's Blueprints. Only edges between installed Blueprints are
 * drawn; a Blueprint the catalog does not know still appears as a node (without edges), so nothing the
 * Sovereign runs is silently left out of the picture.
 */
export function buildBlueprintGraph(
  installed: Map<string, { version?: string }>,
  entities: Entity[],
): BlueprintGraph {
  const byRef = new Map<string, Entity>();
  for (const entity of entities) {
    byRef.set(stringifyEntityRef(entity).toLocaleLowerCase('en-US'), entity);
  }
  const nodes: BlueprintGraphNode[] = [...installed.entries()]
    .map(([ref, { version }]) => {
      const entity = byRef.get(ref);
      const name = parseEntityRef(ref).name;
      const spec = entity ? blueprintSpec(entity) : {};
      return {
        ref,
        name: entity?.metadata.name ?? name,
        title: entity?.metadata.title ?? entity?.metadata.name ?? name,
        version: version ?? spec.version ?? undefined,
        family: spec.family,
        entity,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const edges: BlueprintGraphEdge[] = [];
  for (const node of nodes) {
    if (!node.entity) continue;
    for (const dependency of blueprintDependencies(node.entity)) {
      if (dependency !== node.ref && installed.has(dependency)) {
        edges.push({ dependency, dependent: node.ref });
      }
    }
  }
  return { nodes, edges };
}
