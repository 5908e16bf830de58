import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

/**
 * Validates a request body or parameter set with zod and turns the first problems into an InputError (400)
 * that names each offending field. Values are never quoted back, so a misplaced secret is not echoed.
 */
export function parseRequest<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.slice(0, 5).map(issue => {
    const field = issue.path.length ? issue.path.join('.') : '(body)';
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map(k => `'${k}'`).join(', ');
      return `${field}: unknown field(s) ${keys} are not accepted`;
    }
    return `${field}: ${issue.message}`;
  });
  throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
}
