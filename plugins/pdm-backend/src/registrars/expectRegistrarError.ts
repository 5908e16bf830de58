import { inspect } from 'node:util';
import { RegistrarError, RegistrarErrorKind } from './types';

/**
 * Test assertion: the promise rejects with a RegistrarError of `kind`, and none of `secrets` appears anywhere
 * in what a log line or an HTTP error body could be built from (message, stack, JSON, util.inspect).
 */
export async function expectRegistrarError(
  promise: Promise<unknown>,
  kind: RegistrarErrorKind,
  secrets: readonly string[] = [],
): Promise<RegistrarError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(RegistrarError);
  const error = caught as RegistrarError;
  expect(error.kind).toBe(kind);
  const renderings = [
    error.message,
    String(error.stack),
    String(error),
    JSON.stringify(error),
    JSON.stringify({ ...error, message: error.message }),
    inspect(error, { depth: 5 }),
  ].join('\n');
  for (const secret of secrets) {
    expect(renderings).not.toContain(secret);
  }
  return error;
}
