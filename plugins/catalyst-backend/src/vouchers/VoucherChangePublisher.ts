import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  CATALYST_ORGANIZATION_TOPIC,
  CATALYST_VOUCHER_TOPIC,
  OrganizationRecord,
  OrganizationRecordChange,
  VoucherRecord,
  VoucherRecordChange,
} from '@catalyst/plugin-catalyst-common';
import { Voucher } from './VoucherStore';

/**
 * Announces voucher and Organization changes for the catalog's `catalyst-vouchers` and
 * `catalyst-organizations` providers. A failed publish is logged, not thrown: the change is committed and the
 * providers' scheduled resync repairs the catalog.
 */
export class VoucherChangePublisher {
  constructor(
    private readonly events: EventsService,
    private readonly logger: LoggerService,
  ) {}

  async voucher(voucher: Voucher) {
    const { redemptions: _count, ...record } = voucher;
    const eventPayload: VoucherRecordChange = {
      action: 'upsert',
      record: record satisfies VoucherRecord,
    };
    await this.publish(
      CATALYST_VOUCHER_TOPIC,
      eventPayload,
      `voucher ${voucher.id}`,
    );
  }

  async organization(
    action: OrganizationRecordChange['action'],
    record: OrganizationRecord,
  ) {
    const eventPayload: OrganizationRecordChange = { action, record };
    await this.publish(
      CATALYST_ORGANIZATION_TOPIC,
      eventPayload,
      `Organization ${record.slug}`,
    );
  }

  private async publish(topic: string, eventPayload: unknown, what: string) {
    try {
      await this.events.publish({ topic, eventPayload });
    } catch (error) {
      this.logger.warn(
        `Could not announce the change of ${what}; the catalog will catch up on its next resync: ${error}`,
      );
    }
  }
}
