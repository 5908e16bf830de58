import { Entity } from '@backstage/catalog-model';
import { CATALYST_API_VERSION, catalystKindSchema } from './apiVersion';

/** Voucher states as the catalog shows them (docs/vouchers.md). */
export const VOUCHER_ENTITY_STATES = [
  'active',
  'deactivated',
  'exhausted',
  'expired',
  'revoked',
] as const;

export interface VoucherEntityV1alpha1 extends Entity {
  apiVersion: typeof CATALYST_API_VERSION;
  kind: 'Voucher';
  spec: {
    /** Entity ref of the issuing Sovereign. */
    sovereign: string;
    /** Entity ref of the owning (franchisee) group or user. */
    owner: string;
    /** The code, masked (codes are stored hashed and shown in full only at issue time). */
    codeMasked: string;
    credit: { amount: number; currency: string };
    description: string;
    state: (typeof VOUCHER_ENTITY_STATES)[number];
    active?: boolean;
    /** 0 = unlimited. */
    maxRedemptions: number;
    timesRedeemed: number;
    expiresAt?: string | null;
    issuedBy: string;
  };
}

/** JSON schema of the Voucher kind, for `entityKindSchemaValidator` (docs/vouchers.md). */
export const voucherEntitySchema = catalystKindSchema({
  kind: 'Voucher',
  description: 'A billing-credit code issued by a Sovereign.',
  spec: {
    type: 'object',
    required: [
      'sovereign',
      'owner',
      'codeMasked',
      'credit',
      'description',
      'state',
      'maxRedemptions',
      'timesRedeemed',
      'issuedBy',
    ],
    properties: {
      sovereign: { type: 'string', minLength: 1 },
      owner: { type: 'string', minLength: 1 },
      codeMasked: { type: 'string', minLength: 1 },
      credit: {
        type: 'object',
        required: ['amount', 'currency'],
        properties: {
          amount: { type: 'integer', exclusiveMinimum: 0 },
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        },
      },
      description: { type: 'string' },
      state: { enum: [...VOUCHER_ENTITY_STATES] },
      active: { type: 'boolean' },
      maxRedemptions: { type: 'integer', minimum: 0 },
      timesRedeemed: { type: 'integer', minimum: 0 },
      expiresAt: {
        // ISO 8601 date-time; the catalog's ajv has no "format" support, so a pattern does the check.
        oneOf: [
          {
            type: 'string',
            pattern:
              '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
          },
          { type: 'null' },
        ],
      },
      issuedBy: { type: 'string', minLength: 1 },
    },
  },
});
