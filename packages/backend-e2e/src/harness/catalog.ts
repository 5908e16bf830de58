import { DeferredEntity } from '@backstage/plugin-catalog-node';

/**
 * Polls until `check` stops throwing and returns its result: the catalog processes and stitches provider entities
 * asynchronously. Rethrows the last failure after `timeoutMs`.
 */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 30_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, intervalMs));
    }
  }
}

/**
 * The smallest entity a plain provider can hand the catalog: a Component named `<provider>-<i>`, owned by
 * `group:default/<provider>`. The catalog's own cost per entity, for benchmarks' floors and for tests that need a
 * queue of work in the catalog.
 */
export function plainComponent(provider: string, i: number): DeferredEntity {
  return {
    locationKey: provider,
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `${provider}-${i}`,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `${provider}:${i}`,
          'backstage.io/managed-by-origin-location': `${provider}:${i}`,
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `group:default/${provider}`,
      },
    },
  };
}
