import { CustomErrorBase } from '@backstage/errors';

/**
 * An API error in the reference PDM's shape: the router answers `status` with
 * `{"error": code, "detail": message, ...extra}`. Messages are ours and never carry tokens or keys.
 */
export class PdmApiError extends CustomErrorBase {
  name = 'PdmApiError' as const;
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}
