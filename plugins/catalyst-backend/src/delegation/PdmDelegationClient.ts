import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { z } from 'zod/v3';

/** The part of PDM's `GET /v1/delegation/{fqdn}` answer the watcher relies on (docs/pdm.md §7). */
const delegationReportSchema = z.object({
  fqdn: z.string(),
  delegated: z.boolean(),
  expected: z.array(z.string()),
  observed: z.array(z.string()),
  error: z.string().optional(),
});
export type DelegationReport = z.infer<typeof delegationReportSchema>;

/** Asks PDM whether the parent zone delegates a domain to PDM's nameservers. */
export interface DelegationSource {
  check(fqdn: string, signal?: AbortSignal): Promise<DelegationReport>;
}

/**
 * Calls PDM's delegation check with this plugin's own service token (PDM trusts Backstage service tokens, never
 * plain in-cluster calls: docs/pdm.md, known pitfall 8). Errors name the route and the status; answers are checked.
 */
export class PdmDelegationClient implements DelegationSource {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      timeoutMs?: number;
    },
  ) {}

  async check(fqdn: string, signal?: AbortSignal): Promise<DelegationReport> {
    const { discovery, auth } = this.options;
    const path = `/v1/delegation/${encodeURIComponent(fqdn)}`;
    const baseUrl = await discovery.getBaseUrl('pdm');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'pdm',
    });
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
        },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `PDM GET ${path} failed: ${
          (error as Error).name === 'TimeoutError'
            ? 'timed out'
            : (error as Error).message
        }`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new ServiceUnavailableError(
        `PDM GET ${path} answered ${response.status}: ${text.slice(0, 256)}`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ServiceUnavailableError(
        `PDM GET ${path} answered something that is not JSON`,
      );
    }
    const parsed = delegationReportSchema.safeParse(body);
    if (!parsed.success) {
      throw new ServiceUnavailableError(
        `PDM GET ${path} answered an unexpected shape: ${parsed.error.issues
          .map(i => `${i.path.join('.') || '(body)'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    return parsed.data;
  }
}
