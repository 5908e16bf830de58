import { CatalystData } from '../data/catalystData';
import {
  BlueprintDefinition,
  BlueprintResolutionError,
  buildBlueprints,
  findDependsOnCycle,
} from './blueprints';

/** One HelmRelease of a Sovereign's overlay (docs/provisioning.md §4, §5.4). */
export interface ResolvedRelease {
  /** Kit slot; null for a release the kit does not install unconditionally. */
  slot: number | null;
  /** `bp-<name>`: HelmRelease and HelmRepository name in flux-system. */
  name: string;
  chart: string;
  version: string;
  oci: string;
  /** Namespace object the overlay file declares; null = none (kube-system, or declared by another release). */
  namespace: string | null;
  releaseName: string;
  targetNamespace: string;
  /** `bp-…` names, all of them in the same resolution. */
  dependsOn: string[];
  timeout?: string;
  wait?: boolean;
  upgradePreserveValues?: boolean;
  /** Values (dotted paths) that carry `${SOVEREIGN_FQDN}`; the renderer substitutes them. */
  fqdnValues?: Record<string, string>;
  component: string | null;
}

export interface BlueprintResolution {
  /** Topologically ordered (every release after all it depends on), ties by slot then name. */
  releases: ResolvedRelease[];
  /** Releases pulled in by dependsOn that the selection did not ask for. */
  additions: Array<{ name: string; requiredBy: string }>;
  /** Selected (or depended-upon) components without a published chart, sorted. */
  notInstallable: string[];
}

function toRelease(
  data: CatalystData,
  blueprint: BlueprintDefinition,
  installed: Set<string>,
): ResolvedRelease {
  const kit = data.bootstrapKit.entries.find(e => e.chart === blueprint.name);
  const release: ResolvedRelease = {
    slot: kit?.slot ?? null,
    name: blueprint.name,
    chart: blueprint.chart,
    version: blueprint.version!,
    oci: blueprint.oci,
    namespace: kit ? kit.namespace?.name ?? null : blueprint.namespace,
    releaseName: kit?.releaseName ?? blueprint.componentId ?? blueprint.name,
    targetNamespace: blueprint.namespace,
    dependsOn: blueprint.dependsOn.filter(dep => installed.has(dep)),
    component: blueprint.componentId,
  };
  if (kit?.timeout !== undefined) release.timeout = kit.timeout;
  if (kit?.wait !== undefined) release.wait = kit.wait;
  if (kit?.upgradePreserveValues !== undefined) {
    release.upgradePreserveValues = kit.upgradePreserveValues;
  }
  if (kit?.fqdnValues) release.fqdnValues = { ...kit.fqdnValues };
  return release;
}

const orderKey = (r: ResolvedRelease) => r.slot ?? Number.MAX_SAFE_INTEGER;

/** Kahn's algorithm; among ready releases the lowest slot, then name, goes first. */
function topologicalOrder(releases: ResolvedRelease[]): ResolvedRelease[] {
  const remaining = new Map(releases.map(r => [r.name, r]));
  const done = new Set<string>();
  const out: ResolvedRelease[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.values()]
      .filter(r => r.dependsOn.every(dep => done.has(dep)))
      .sort(
        (a, b) => orderKey(a) - orderKey(b) || a.name.localeCompare(b.name),
      );
    if (ready.length === 0) {
      const cycle = findDependsOnCycle([...remaining.values()]);
      throw new BlueprintResolutionError(
        `Blueprint dependsOn cycle: ${(cycle ?? [...remaining.keys()]).join(
          ' -> ',
        )}`,
      );
    }
    const next = ready[0];
    remaining.delete(next.name);
    done.add(next.name);
    out.push(next);
  }
  return out;
}

/**
 * Turns a component selection into the releases of a Sovereign (docs/provisioning.md §5.4): the kit-only
 * infrastructure releases, the release of every selected component that has a chart, and the dependsOn
 * closure of those. A component without a chart is reported in `notInstallable`, and a dependsOn edge to such
 * a component is dropped (Flux would otherwise wait for a release that never exists).
 */
export function resolveBlueprints(
  data: CatalystData,
  components: readonly string[],
  blueprints: BlueprintDefinition[] = buildBlueprints(data),
): BlueprintResolution {
  const byName = new Map(blueprints.map(b => [b.name, b]));
  const byComponent = new Map(
    blueprints.filter(b => b.componentId).map(b => [b.componentId!, b]),
  );

  const chosen: BlueprintDefinition[] = blueprints.filter(
    b => b.componentId === null,
  );
  const notInstallable = new Set<string>();
  for (const id of components) {
    const blueprint = byComponent.get(id);
    if (!blueprint) {
      throw new BlueprintResolutionError(`Unknown component "${id}"`);
    }
    if (blueprint.installable) chosen.push(blueprint);
    else notInstallable.add(id);
  }

  const installed = new Set<string>(chosen.map(b => b.name));
  const additions: BlueprintResolution['additions'] = [];
  const queue = [...chosen];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const dep of current.dependsOn) {
      const target = byName.get(dep);
      if (!target) {
        throw new BlueprintResolutionError(
          `${current.name} depends on unknown Blueprint "${dep}"`,
        );
      }
      if (!target.installable) {
        notInstallable.add(target.componentId ?? target.name);
        continue;
      }
      if (installed.has(dep)) continue;
      installed.add(dep);
      additions.push({ name: dep, requiredBy: current.name });
      queue.push(target);
    }
  }

  const releases = topologicalOrder(
    [...installed].map(name => toRelease(data, byName.get(name)!, installed)),
  );
  return {
    releases,
    additions,
    notInstallable: [...notInstallable].sort(),
  };
}
