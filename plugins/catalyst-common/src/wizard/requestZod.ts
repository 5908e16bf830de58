import { z } from 'zod/v3';

/**
 * The zod building blocks every request schema uses, so a field says "is required", "must be text" or
 * "must be one of: …" in the same words wherever it is checked.
 */

/** An enum whose messages list the allowed values. */
export const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values as unknown as [T[number], ...T[number][]], {
    errorMap: (issue, ctx) =>
      issue.code === 'invalid_type' && ctx.data === undefined
        ? { message: 'is required' }
        : { message: `must be one of: ${values.join(', ')}` },
  });

/** Trimmed text that must not be blank; `blank` is the message when it is. */
export const requiredString = (blank = 'must not be blank') =>
  z
    .string({
      required_error: 'is required',
      invalid_type_error: 'must be text',
    })
    .trim()
    .min(1, blank);

/** Reports one problem at a path below the value being checked. */
export type IssueSink = (path: Array<string | number>, message: string) => void;

/** An {@link IssueSink} that adds custom issues to a zod refinement context. */
export function issueSinkOf(ctx: z.RefinementCtx): IssueSink {
  return (path, message) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
}
