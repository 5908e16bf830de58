import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  CATALYST_SOVEREIGN_TOPIC,
  SovereignRecord,
  SovereignRecordChange,
} from '@catalyst/plugin-catalyst-common';

/**
 * Announces registry changes on the Backstage events service so the catalog's `catalyst-sovereigns` provider
 * can apply a delta within seconds. A failed publish is logged, not thrown: the record is already stored and
 * the provider's scheduled full resync picks it up.
 */
export class SovereignChangePublisher {
  constructor(
    private readonly events: EventsService,
    private readonly logger: LoggerService,
  ) {}

  async publish(
    action: SovereignRecordChange['action'],
    record: SovereignRecord,
  ) {
    const eventPayload: SovereignRecordChange = { action, record };
    try {
      await this.events.publish({
        topic: CATALYST_SOVEREIGN_TOPIC,
        eventPayload,
      });
    } catch (error) {
      this.logger.warn(
        `Could not announce ${action} of Sovereign ${record.name}; the catalog will catch up on its next resync: ${error}`,
      );
    }
  }
}
