import type { Entity } from '@backstage/catalog-model';

/**
 * The redeem template's two choices, in the words a tenant reads: the Sovereign by its FQDN (never an entity
 * ref) and the first App among the Blueprints that Sovereign actually runs and that an Organization installs for
 * itself (installable, not part of every Sovereign's platform) — the same rule the redeem action enforces.
 */

export type SovereignChoice = { ref: string; fqdn: string; phase?: string };
export type AppChoice = { ref: string; name: string; title: string };

const sovereignRefOf = (entity: Entity) =>
  `sovereign:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`;

/** The Sovereigns a voucher can be redeemed on: ready ones, named by their FQDN, sorted. */
export function sovereignChoices(entities: Entity[]): SovereignChoice[] {
  return entities
    .map(entity => {
      const spec = (entity.spec ?? {}) as { fqdn?: string; phase?: string };
      return {
        ref: sovereignRefOf(entity),
        fqdn: spec.fqdn ?? entity.metadata.title ?? entity.metadata.name,
        phase: spec.phase,
      };
    })
    .filter(choice => choice.phase === 'ready')
    .sort((a, b) => a.fqdn.localeCompare(b.fqdn));
}

/**
 * The Apps a tenant can install first on a Sovereign: every Blueprint its record lists (`bp-<name>@<version>`)
 * that is installable and not always included, named by its title.
 */
export function firstAppChoices(
  sovereign: Entity | undefined,
  blueprints: Entity[],
): AppChoice[] {
  const installed = new Set(
    (
      ((sovereign?.spec ?? {}) as { blueprints?: string[] }).blueprints ?? []
    ).map(entry => entry.split('@')[0]),
  );
  return blueprints
    .filter(bp => {
      const spec = (bp.spec ?? {}) as {
        installable?: boolean;
        alwaysIncluded?: boolean;
      };
      return (
        installed.has(bp.metadata.name) &&
        spec.installable === true &&
        spec.alwaysIncluded !== true
      );
    })
    .map(bp => ({
      ref: `blueprint:${bp.metadata.namespace ?? 'default'}/${
        bp.metadata.name
      }`,
      name: bp.metadata.name,
      title: bp.metadata.title ?? bp.metadata.name,
    }))
    .sort((a, b) => a.title.localeCompare(b.title));
}

/**
 * The value both pickers keep: the entity ref for the action (hidden from the review) and the name a person reads
 * (shown in the review). A bare ref (e.g. handed over in a link's formData) is accepted too.
 */
export type PickedValue = { ref?: string; fqdn?: string; title?: string };

/** The entity ref of a picked value (an object or a bare ref). */
export function pickedRef(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (value && typeof value === 'object') {
    const ref = (value as PickedValue).ref;
    return typeof ref === 'string' && ref ? ref : undefined;
  }
  return undefined;
}
