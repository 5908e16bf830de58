import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  CATALYST_SOVEREIGN_TOPIC,
  CATALYST_VOUCHER_TOPIC,
  SovereignRecord,
  sovereignRecordSchema,
  VoucherRecord,
  voucherRecordSchema,
} from '@catalyst/plugin-catalyst-common';
import {
  SOVEREIGN_PROVIDER_NAME,
  sovereignRecordToEntity,
} from '../entities/sovereignEntity';
import {
  VOUCHER_PROVIDER_NAME,
  voucherRecordToEntity,
} from '../entities/voucherEntity';
import {
  CatalystApiRecordSource,
  RecordSource,
} from './CatalystApiRecordSource';
import { CatalogPriority } from './CatalogPriority';
import {
  CatalystRecordEntityProvider,
  CatalystRecordEntityProviderOptions,
} from './CatalystRecordEntityProvider';

type Deps = {
  events: EventsService;
  taskRunner: SchedulerServiceTaskRunner;
  logger: LoggerService;
  priority?: CatalogPriority;
};

/** A provider factory for one record kind: its name, event topic, record schema and entity mapping. */
function recordEntityProvider<R>(
  kind: Pick<
    CatalystRecordEntityProviderOptions<R>,
    'providerName' | 'topic' | 'recordSchema' | 'toEntity'
  >,
) {
  return (deps: Deps & { source: RecordSource<R> }) =>
    new CatalystRecordEntityProvider<R>({ ...kind, ...deps });
}

/** `catalyst-sovereigns`: the Sovereign registry of catalyst-backend. */
export const createSovereignEntityProvider =
  recordEntityProvider<SovereignRecord>({
    providerName: SOVEREIGN_PROVIDER_NAME,
    topic: CATALYST_SOVEREIGN_TOPIC,
    recordSchema: sovereignRecordSchema,
    toEntity: sovereignRecordToEntity,
  });

/** `catalyst-vouchers`: the voucher store of catalyst-backend. */
export const createVoucherEntityProvider = recordEntityProvider<VoucherRecord>({
  providerName: VOUCHER_PROVIDER_NAME,
  topic: CATALYST_VOUCHER_TOPIC,
  recordSchema: voucherRecordSchema,
  toEntity: voucherRecordToEntity,
});

/** The HTTP sources the providers resync from. */
export function createCatalystApiSources(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
}) {
  return {
    sovereigns: new CatalystApiRecordSource<SovereignRecord>({
      ...deps,
      path: '/v1/sovereigns',
      schema: sovereignRecordSchema,
    }),
    vouchers: new CatalystApiRecordSource<VoucherRecord>({
      ...deps,
      path: '/v1/vouchers/records',
      schema: voucherRecordSchema,
      notFoundMeansEmpty: true,
    }),
  };
}
