import { JsonObject } from '@backstage/types';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CATALYST_API_VERSION,
  VoucherRecord,
} from '@catalyst/plugin-catalyst-common';
import { providerLocationAnnotations } from './locations';

export const VOUCHER_PROVIDER_NAME = 'catalyst-vouchers';
export const VOUCHER_STATE_LABEL = 'catalyst.openova.io/voucher-state';

/** The Sovereign entity ref a voucher record points at (it may hold a bare name or a full ref). */
export function voucherSovereignRef(record: VoucherRecord) {
  return parseEntityRef(record.sovereign, {
    defaultKind: 'sovereign',
    defaultNamespace: 'default',
  });
}

/**
 * The catalog view of a voucher (docs/vouchers.md): named by its id, in the namespace of its Sovereign, with the
 * code masked. Revoked vouchers stay as an audit trail with state `revoked`.
 */
export function voucherRecordToEntity(record: VoucherRecord): Entity {
  const sovereign = voucherSovereignRef(record);
  const spec: Record<string, unknown> = {
    sovereign: stringifyEntityRef(sovereign),
    owner: record.issuedBy,
    codeMasked: record.codeMasked,
    credit: { ...record.credit },
    description: record.description,
    active: record.state === 'active',
    state: record.state,
    maxRedemptions: record.maxRedemptions,
    timesRedeemed: record.timesRedeemed,
    expiresAt: record.expiresAt,
    issuedBy: record.issuedBy,
    createdAt: record.createdAt,
  };
  return {
    apiVersion: CATALYST_API_VERSION,
    kind: 'Voucher',
    metadata: {
      name: record.id,
      namespace: sovereign.name,
      title: `Voucher ${record.codeMasked}`,
      description:
        record.description ||
        `${record.credit.amount} ${record.credit.currency} credit`,
      annotations: providerLocationAnnotations(
        VOUCHER_PROVIDER_NAME,
        `${sovereign.name}/${record.id}`,
      ),
      labels: { [VOUCHER_STATE_LABEL]: record.state },
      tags: [record.state, record.credit.currency.toLowerCase()],
    },
    // Built from zod-validated records: plain JSON values only.
    spec: spec as JsonObject,
  };
}
