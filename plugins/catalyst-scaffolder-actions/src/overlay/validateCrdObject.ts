import { InputError } from '@backstage/errors';

/**
 * Builds an object with its kubernetes-models class and checks it against the CRD schema, so an overlay never
 * holds an object its controller would reject. `family` names the CRDs in the error (`Flux`, `cert-manager`).
 */
export function validateCrdObject(
  family: string,
  name: string,
  build: () => { validate(): void },
): void {
  try {
    build().validate();
  } catch (e) {
    throw new InputError(
      `${family} object ${name} does not match its CRD schema: ${
        (e as Error).message
      }`,
    );
  }
}
