import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  blueprintFamilies,
  buildBlueprints,
  CatalystData,
} from '@catalyst/plugin-catalyst-common';
import {
  BLUEPRINT_PROVIDER_NAME,
  blueprintToEntity,
  familyToSystemEntity,
} from '../entities/blueprintEntity';

/**
 * Publishes every Blueprint (one per component plus the kit-only releases) and one `System` per family, from
 * the common package's data files. The data ships with the package, so one full mutation on connect is all it
 * takes; a new release of the package is a new backend deployment.
 */
export class BlueprintEntityProvider implements EntityProvider {
  private readonly entities: Entity[];

  constructor(
    data: CatalystData,
    private readonly options: { owner: string; logger: LoggerService },
  ) {
    const families = blueprintFamilies(data.components);
    this.entities = [
      ...families.map(f => familyToSystemEntity(f, options.owner)),
      ...buildBlueprints(data).map(b => blueprintToEntity(b, options.owner)),
    ];
  }

  getProviderName(): string {
    return BLUEPRINT_PROVIDER_NAME;
  }

  /** The entities this provider publishes (families first, then Blueprints). */
  getEntities(): Entity[] {
    return this.entities;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    await connection.applyMutation({
      type: 'full',
      entities: this.entities.map(entity => ({
        entity,
        locationKey: BLUEPRINT_PROVIDER_NAME,
      })),
    });
    this.options.logger.info(
      `${BLUEPRINT_PROVIDER_NAME}: published ${this.entities.length} entities`,
    );
  }
}
