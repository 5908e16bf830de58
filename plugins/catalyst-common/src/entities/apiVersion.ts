/** apiVersion of every Catalyst catalog kind (Sovereign, Blueprint, Voucher). */
export const CATALYST_API_VERSION = 'catalyst.openova.io/v1alpha1' as const;

/**
 * The JSON schema of one Catalyst kind, for `entityKindSchemaValidator`: the catalog's base `Entity` schema plus
 * this kind's apiVersion, kind, optional metadata rules and a required `spec`. Every Catalyst kind is declared
 * through this one wrapper so the three stay alike.
 */
export function catalystKindSchema<Spec extends object>(options: {
  kind: string;
  description: string;
  spec: Spec;
  metadata?: object;
}) {
  return {
    $schema: 'http://json-schema.org/draft-07/schema',
    $id: `${options.kind}V1alpha1`,
    description: options.description,
    allOf: [
      { $ref: 'Entity' },
      {
        type: 'object',
        required: ['spec'],
        properties: {
          apiVersion: { enum: [CATALYST_API_VERSION] },
          kind: { enum: [options.kind] },
          ...(options.metadata ? { metadata: options.metadata } : {}),
          spec: options.spec,
        },
      },
    ],
  } as const;
}
