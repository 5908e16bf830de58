import { Entity } from '@backstage/catalog-model';
import type { BlueprintDefinition } from '../blueprints/blueprints';
import { CATALYST_API_VERSION, catalystKindSchema } from './apiVersion';

export interface BlueprintEntityV1alpha1 extends Entity {
  apiVersion: typeof CATALYST_API_VERSION;
  kind: 'Blueprint';
  /** A BlueprintDefinition as the catalog holds it; `dependsOn` may also hold entity refs (`blueprint:default/bp-x`). */
  spec: Pick<
    BlueprintDefinition,
    | 'family'
    | 'chart'
    | 'version'
    | 'oci'
    | 'namespace'
    | 'dependsOn'
    | 'alwaysIncluded'
    | 'installable'
    | 'tier'
  > & {
    description?: string;
    /** A logo file name, a richer logo description, or null for a letter mark. */
    logo?: string | { [key: string]: string | number | boolean | null } | null;
    kitSlot?: number | null;
    upstream?: string | null;
  };
}

/** JSON schema of the Blueprint kind, for `entityKindSchemaValidator` (docs/provisioning.md §5.3). */
export const blueprintEntitySchema = catalystKindSchema({
  kind: 'Blueprint',
  description:
    'A Blueprint: the signed OCI Helm chart bp-<name>:<semver>, the only install unit of a Sovereign.',
  metadata: {
    type: 'object',
    properties: {
      name: { type: 'string', pattern: '^bp-[a-z][a-z0-9-]*$' },
    },
  },
  spec: {
    type: 'object',
    required: [
      'family',
      'chart',
      'version',
      'oci',
      'namespace',
      'dependsOn',
      'alwaysIncluded',
      'installable',
      'tier',
    ],
    properties: {
      family: { type: 'string', minLength: 1 },
      chart: { type: 'string', pattern: '^bp-[a-z][a-z0-9-]*$' },
      version: {
        oneOf: [
          {
            type: 'string',
            pattern:
              '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$',
          },
          { type: 'null' },
        ],
      },
      oci: { type: 'string', pattern: '^oci://\\S+$' },
      namespace: { type: 'string', minLength: 1 },
      dependsOn: {
        type: 'array',
        items: {
          type: 'string',
          pattern: '^(blueprint:([a-z0-9-]+/)?)?bp-[a-z][a-z0-9-]*$',
        },
      },
      alwaysIncluded: { type: 'boolean' },
      installable: { type: 'boolean' },
      description: { type: 'string' },
      logo: { type: ['string', 'object', 'null'] },
      tier: { enum: ['mandatory', 'recommended', 'optional'] },
      kitSlot: { type: ['integer', 'null'], minimum: 1 },
      upstream: { type: ['string', 'null'] },
    },
    // A Blueprint without a version cannot be installed, and an installable one needs a version.
    if: { properties: { installable: { const: true } } },
    then: { properties: { version: { type: 'string' } } },
    else: { properties: { version: { type: 'null' } } },
  },
});
