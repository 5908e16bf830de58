import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
} from '@backstage/catalog-model';

/**
 * Both location annotations, which the catalog requires on provider-emitted entities. The location names the
 * provider and the record, so "where did this come from" has an honest answer.
 */
export function providerLocationAnnotations(
  providerName: string,
  target: string,
): Record<string, string> {
  const location = `${providerName}:${target}`;
  return {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
  };
}
