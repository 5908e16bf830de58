import { z } from 'zod/v3';
import { assertUnique, CatalystDataError, parseDataFile } from './dataFile';

const NODE_SIZES_FILE = 'data/node-sizes.yaml';

export const CLOUD_PROVIDERS = [
  'hetzner',
  'huawei',
  'oci',
  'aws',
  'azure',
] as const;
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

export const NODE_SKU_CATEGORIES = [
  'shared-intel',
  'shared-amd',
  'shared-arm',
  'dedicated',
  'general-purpose',
  'compute-optimized',
  'memory-optimized',
] as const;

export const nodeSkuSchema = z
  .object({
    id: z.string().min(1),
    vcpu: z.number().int().positive(),
    memoryGb: z.number().positive(),
    diskGb: z.union([
      z.number().int().positive(),
      z.literal('EBS-only'),
      z.literal('Variable'),
    ]),
    priceHour: z.number().positive(),
    priceMonth: z.number().positive(),
    usdHour: z.number().positive().optional(),
    category: z.enum(NODE_SKU_CATEGORIES),
    recommended: z.boolean().optional(),
  })
  .strict();

export const cloudRegionSchema = z
  .object({ id: z.string().min(1), location: z.string().min(1) })
  .strict();

export const providerCatalogSchema = z
  .object({
    name: z.string().min(1),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
    pricing: z.string(),
    regions: z.array(cloudRegionSchema).min(1),
    defaults: z
      .object({ controlPlane: z.string().min(1), worker: z.string().min(1) })
      .strict(),
    skus: z.array(nodeSkuSchema).min(1),
  })
  .strict();

export const nodeSizeCatalogSchema = z
  .object({
    schemaVersion: z.literal(1),
    currencyConversion: z
      .object({
        from: z.string().regex(/^[A-Z]{3}$/),
        to: z.string().regex(/^[A-Z]{3}$/),
        rate: z.number().positive(),
        snapshot: z.string().min(1),
      })
      .strict(),
    workers: z
      .object({
        countMin: z.number().int().nonnegative(),
        countMax: z.number().int().positive(),
        countDefault: z.number().int().nonnegative(),
        sizeRequiredWhenCountAbove: z.number().int().nonnegative(),
      })
      .strict(),
    hoursPerMonth: z.number().int().positive(),
    providers: z
      .object({
        hetzner: providerCatalogSchema,
        huawei: providerCatalogSchema,
        oci: providerCatalogSchema,
        aws: providerCatalogSchema,
        azure: providerCatalogSchema,
      })
      .strict(),
  })
  .strict();

export type NodeSku = z.infer<typeof nodeSkuSchema>;
export type CloudRegion = z.infer<typeof cloudRegionSchema>;
export type ProviderCatalog = z.infer<typeof providerCatalogSchema>;
export type NodeSizeCatalog = z.infer<typeof nodeSizeCatalogSchema>;

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * Checks what the shape cannot: unique ids, the defaults exist and are the one SKU flagged recommended, the
 * worker limits are consistent, and converted prices follow the file's conversion rule.
 */
export function checkNodeSizeCatalog(
  catalog: NodeSizeCatalog,
  file: string = NODE_SIZES_FILE,
): NodeSizeCatalog {
  const { workers, currencyConversion } = catalog;
  if (workers.countMin > workers.countMax) {
    throw new CatalystDataError(
      file,
      'workers.countMin',
      `${workers.countMin} is above countMax ${workers.countMax}`,
    );
  }
  if (
    workers.countDefault < workers.countMin ||
    workers.countDefault > workers.countMax
  ) {
    throw new CatalystDataError(
      file,
      'workers.countDefault',
      `${workers.countDefault} is outside ${workers.countMin}–${workers.countMax}`,
    );
  }
  for (const provider of CLOUD_PROVIDERS) {
    const p = catalog.providers[provider];
    const base = `providers.${provider}`;
    assertUnique(file, `${base}.regions`, p.regions, r => r.id);
    assertUnique(file, `${base}.skus`, p.skus, s => s.id);
    if (p.currency !== currencyConversion.to) {
      throw new CatalystDataError(
        file,
        `${base}.currency`,
        `is ${p.currency}, but every price is in ${currencyConversion.to}`,
      );
    }
    for (const role of ['controlPlane', 'worker'] as const) {
      if (!p.skus.some(s => s.id === p.defaults[role])) {
        throw new CatalystDataError(
          file,
          `${base}.defaults.${role}`,
          `unknown SKU "${p.defaults[role]}"`,
        );
      }
    }
    const recommended = p.skus.filter(s => s.recommended);
    if (
      recommended.length !== 1 ||
      recommended[0].id !== p.defaults.controlPlane
    ) {
      throw new CatalystDataError(
        file,
        `${base}.skus`,
        `exactly one SKU must be recommended and it must be the default (${p.defaults.controlPlane})`,
      );
    }
    p.skus.forEach((sku, i) => {
      if (sku.usdHour === undefined) return;
      const hour = round(sku.usdHour * currencyConversion.rate, 4);
      const month = round(
        sku.usdHour * currencyConversion.rate * catalog.hoursPerMonth,
        2,
      );
      if (Math.abs(hour - sku.priceHour) > 0.00011) {
        throw new CatalystDataError(
          file,
          `${base}.skus[${i}].priceHour`,
          `${sku.priceHour} does not equal usdHour ${sku.usdHour} × ${currencyConversion.rate} = ${hour}`,
        );
      }
      if (Math.abs(month - sku.priceMonth) > 0.011) {
        throw new CatalystDataError(
          file,
          `${base}.skus[${i}].priceMonth`,
          `${sku.priceMonth} does not equal usdHour ${sku.usdHour} × ${currencyConversion.rate} × ${catalog.hoursPerMonth} = ${month}`,
        );
      }
    });
  }
  return catalog;
}

/** Parses and checks data/node-sizes.yaml. Throws a {@link CatalystDataError} naming the field on any problem. */
export function parseNodeSizeCatalog(
  text: string,
  file: string = NODE_SIZES_FILE,
): NodeSizeCatalog {
  return checkNodeSizeCatalog(
    parseDataFile(file, text, nodeSizeCatalogSchema),
    file,
  );
}

/** The SKU of a provider, or undefined. */
export function findNodeSku(
  catalog: NodeSizeCatalog,
  provider: CloudProvider,
  skuId: string,
): NodeSku | undefined {
  return catalog.providers[provider]?.skus.find(s => s.id === skuId);
}

export function isCloudProvider(value: unknown): value is CloudProvider {
  return (
    typeof value === 'string' &&
    (CLOUD_PROVIDERS as readonly string[]).includes(value)
  );
}
