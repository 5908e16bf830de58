import {
  CompoundEntityRef,
  Entity,
  entityKindSchemaValidator,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  blueprintEntitySchema,
  CATALYST_API_VERSION,
  sovereignEntitySchema,
  voucherEntitySchema,
} from '@catalyst/plugin-catalyst-common';
import { InputError } from '@backstage/errors';
import {
  BLUEPRINT_PROVIDER_NAME,
  familySystemName,
} from '../entities/blueprintEntity';
import { SOVEREIGN_PROVIDER_NAME } from '../entities/sovereignEntity';
import { VOUCHER_PROVIDER_NAME } from '../entities/voucherEntity';

/**
 * The only origin each Catalyst kind is accepted from: the entity provider that builds it from Catalyst's own
 * records. A location a user registers can never bring a Sovereign, Voucher or Blueprint (whatever apiVersion it
 * claims), so nobody can plant a Sovereign "owned" by another team or a forged voucher in the catalog.
 */
export const CATALYST_KIND_ORIGINS: Readonly<Record<string, string>> = {
  sovereign: SOVEREIGN_PROVIDER_NAME,
  voucher: VOUCHER_PROVIDER_NAME,
  blueprint: BLUEPRINT_PROVIDER_NAME,
};

type Validator = (data: unknown) => Entity | false;

const ISO_DATE_TIME =
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

/**
 * The catalog's Ajv instance has no format plugins and refuses unknown formats at compile time, so a
 * `format: 'date-time'` in a kind schema would stop the catalog from starting. It is swapped for the equivalent
 * pattern; other formats are left alone so they fail loudly.
 */
function adaptFormats(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(adaptFormats);
  if (schema && typeof schema === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'format' && value === 'date-time') {
        out.pattern = ISO_DATE_TIME;
      } else {
        out[key] = adaptFormats(value);
      }
    }
    return out;
  }
  return schema;
}

/**
 * Validates the `Sovereign`, `Blueprint` and `Voucher` kinds against their JSON schemas (common package) and
 * emits their relations:
 * - Blueprint ownedBy its team, dependsOn Blueprint (dependencyOf back), partOf its family System (hasPart back);
 * - Sovereign ownedBy its group (ownerOf back), dependsOn each Blueprint it runs (forward only);
 * - Voucher ownedBy its issuer, partOf its Sovereign (both forward only).
 *
 * A reverse relation is stored on its target, and every change of the source re-stitches the target with all of
 * its relations. A Blueprint runs on every Sovereign, a Sovereign holds all of its vouchers and an issuer issues
 * thousands: with the reverse relations, ingesting n Sovereigns or vouchers re-stitched those few entities n times
 * with up to n relations each (quadratic work, docs/catalog-performance.md). The forward relations stay, and the
 * other direction is a query: `filter=kind=sovereign,relations.dependsOn=blueprint:default/bp-cilium`.
 */
export class CatalystEntitiesProcessor implements CatalogProcessor {
  private readonly validators: Validator[] = [
    entityKindSchemaValidator(adaptFormats(sovereignEntitySchema)),
    entityKindSchemaValidator(adaptFormats(blueprintEntitySchema)),
    entityKindSchemaValidator(adaptFormats(voucherEntitySchema)),
  ];

  getProcessorName(): string {
    return 'CatalystEntitiesProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    _emit: CatalogProcessorEmit,
    originLocation: LocationSpec,
  ): Promise<Entity> {
    const kind = String(entity.kind ?? '').toLowerCase();
    const provider = CATALYST_KIND_ORIGINS[kind];
    if (
      provider &&
      (originLocation?.type !== provider || location?.type !== provider)
    ) {
      throw new InputError(
        `${
          entity.kind
        } entities are accepted only from Catalyst's ${provider} provider, not from ${
          originLocation?.type ?? 'an unknown'
        } location ${originLocation?.target ?? ''}`.trim(),
      );
    }
    return entity;
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    for (const validate of this.validators) {
      if (validate(entity) !== false) {
        return true;
      }
    }
    return false;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (entity.apiVersion !== CATALYST_API_VERSION) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    const spec = (entity.spec ?? {}) as Record<string, unknown>;
    const link = (
      forward: string,
      backward: string,
      target: CompoundEntityRef,
    ) => {
      emit(processingResult.relation({ source: self, type: forward, target }));
      emit(
        processingResult.relation({
          source: target,
          type: backward,
          target: self,
        }),
      );
    };
    /** The forward relation only: see the class comment for why the reverse one is left out. */
    const linkTo = (type: string, target: CompoundEntityRef) =>
      emit(processingResult.relation({ source: self, type, target }));

    switch (entity.kind) {
      case 'Blueprint': {
        // The team that publishes the Blueprint catalog (`catalog.providers.catalyst.blueprints.owner`).
        if (typeof spec.owner === 'string' && spec.owner) {
          link(
            RELATION_OWNED_BY,
            RELATION_OWNER_OF,
            parseEntityRef(spec.owner, {
              defaultKind: 'Group',
              defaultNamespace: 'default',
            }),
          );
        }
        for (const dep of asStrings(spec.dependsOn)) {
          link(
            RELATION_DEPENDS_ON,
            RELATION_DEPENDENCY_OF,
            parseEntityRef(dep, {
              defaultKind: 'Blueprint',
              defaultNamespace: self.namespace,
            }),
          );
        }
        if (typeof spec.family === 'string') {
          link(RELATION_PART_OF, RELATION_HAS_PART, {
            kind: 'system',
            namespace: self.namespace,
            name: familySystemName(spec.family),
          });
        }
        break;
      }
      case 'Sovereign': {
        link(
          RELATION_OWNED_BY,
          RELATION_OWNER_OF,
          parseEntityRef(String(spec.owner), {
            defaultKind: 'Group',
            defaultNamespace: self.namespace,
          }),
        );
        for (const blueprint of asStrings(spec.blueprints)) {
          // `bp-cilium@1.1.1`: the relation points at the Blueprint entity, whatever version runs.
          const name = blueprint.split('@')[0];
          linkTo(RELATION_DEPENDS_ON, {
            kind: 'blueprint',
            namespace: 'default',
            name,
          });
        }
        break;
      }
      case 'Voucher': {
        linkTo(
          RELATION_OWNED_BY,
          parseEntityRef(String(spec.owner), {
            defaultKind: 'User',
            defaultNamespace: 'default',
          }),
        );
        linkTo(
          RELATION_PART_OF,
          parseEntityRef(String(spec.sovereign), {
            defaultKind: 'Sovereign',
            defaultNamespace: 'default',
          }),
        );
        break;
      }
      default:
        break;
    }
    return entity;
  }
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];
}
