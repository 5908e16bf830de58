import { InputError } from '@backstage/errors';
import { sovereignEntityName } from '../../sovereignKeys';
import {
  SovereignEvent,
  SovereignRecord,
  SovereignRecordPhase,
  SovereignRecordUpsert,
  sovereignEventInputSchema,
  sovereignPhaseChangeSchema,
  sovereignRecordUpsertSchema,
} from '../../sovereignRecord';
import {
  ApiClientOptions,
  ApiRequestOptions,
  ApiTransport,
} from './ApiTransport';

const seg = encodeURIComponent;

/**
 * Client of the Sovereign registry in catalyst-backend (`/api/catalyst/v1/sovereigns`, docs/api-contracts.md).
 * Every body is checked with the registry's own strict schemas before it leaves, so a secret-bearing field fails
 * here, in the caller, instead of reaching the wire.
 */
export class SovereignRegistryClient {
  private readonly api: ApiTransport;

  constructor(options: ApiClientOptions) {
    this.api = new ApiTransport({
      ...options,
      pluginId: 'catalyst',
      serviceName: 'Sovereign registry',
    });
  }

  async get(
    name: string,
    options?: ApiRequestOptions,
  ): Promise<SovereignRecord | undefined> {
    const { status, body } = await this.api.request<SovereignRecord>(
      'GET',
      `/v1/sovereigns/${seg(name)}`,
      { ...options, accept: [404] },
    );
    return status === 404 ? undefined : body;
  }

  /**
   * `GET /v1/sovereigns/:name/events`: the event history, or undefined when the registry keeps no record of the
   * Sovereign (404). Only its owning group and platform admins may read it: anyone else gets a NotAllowedError.
   */
  async listEvents(
    name: string,
    options?: ApiRequestOptions,
  ): Promise<SovereignEvent[] | undefined> {
    const { status, body } = await this.api.request<{
      items?: unknown;
      events?: unknown;
    }>('GET', `/v1/sovereigns/${seg(name)}/events`, {
      ...options,
      accept: [404],
    });
    if (status === 404) return undefined;
    // The registry answers `{ items }`; `{ events }` is accepted too, as the reference API named it.
    const events = body?.items ?? body?.events;
    if (!Array.isArray(events)) {
      throw new Error(
        'The Catalyst registry answered the event history without an "items" list',
      );
    }
    return events as SovereignEvent[];
  }

  /** Creates or replaces the record; the entity provider then emits the Sovereign entity. */
  async upsert(
    record: SovereignRecordUpsert,
    options?: ApiRequestOptions,
  ): Promise<SovereignRecord> {
    const parsed = sovereignRecordUpsertSchema.safeParse(record);
    if (!parsed.success) {
      throw new InputError(
        `Sovereign record is invalid: ${parsed.error.issues
          .map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    const { body } = await this.api.request<SovereignRecord>(
      'PUT',
      `/v1/sovereigns/${seg(sovereignEntityName(parsed.data.fqdn))}`,
      { ...options, body: parsed.data },
    );
    return body;
  }

  /**
   * Replaces the DNS records recorded for a Sovereign (e.g. with [] once PDM released its domain), keeping the
   * rest of the record, its phase and its task; writes nothing when they are unchanged. Answers undefined when
   * the Sovereign is not in the registry.
   */
  async setDnsRecords(
    name: string,
    dnsRecords: SovereignRecord['dnsRecords'],
    options?: ApiRequestOptions,
  ): Promise<SovereignRecord | undefined> {
    const current = await this.get(name, options);
    if (!current) return undefined;
    if (JSON.stringify(current.dnsRecords) === JSON.stringify(dnsRecords)) {
      return current;
    }
    const {
      name: _name,
      createdAt: _createdAt,
      updatedAt: _updatedAt,
      phaseChangedAt: _phaseChangedAt,
      // Omitted so the registry keeps the stored phase and reason instead of recording a change.
      phase: _phase,
      phaseReason: _phaseReason,
      // Phase 1's view is kept by the registry itself, never written back.
      readiness: _readiness,
      kubeconfigReceivedAt: _kubeconfigReceivedAt,
      ...fields
    } = current;
    return this.upsert({ ...fields, dnsRecords }, options);
  }

  /**
   * Mints the single-use secret the Sovereign's cluster hands its kubeconfig back with (docs/phase1.md §1).
   * The plain secret exists only in the answer; the caller passes it to OpenTofu through the environment.
   * Answers undefined when the cluster has already handed its kubeconfig back.
   */
  async mintHandoffSecret(
    name: string,
    options?: ApiRequestOptions,
  ): Promise<{ secret: string; expiresAt: string } | undefined> {
    const { status, body } = await this.api.request<{
      secret: string;
      expiresAt: string;
    }>('POST', `/v1/sovereigns/${seg(name)}/handoff-secret`, {
      ...options,
      accept: [409],
    });
    return status === 409 ? undefined : body;
  }

  async setPhase(
    name: string,
    change: { phase: SovereignRecordPhase; reason?: string; message: string },
    options?: ApiRequestOptions,
  ): Promise<SovereignRecord> {
    const body = sovereignPhaseChangeSchema.parse(change);
    const response = await this.api.request<{ record: SovereignRecord }>(
      'POST',
      `/v1/sovereigns/${seg(name)}/phase`,
      { ...options, body },
    );
    return response.body.record;
  }

  async addEvent(
    name: string,
    event: {
      level: SovereignEvent['level'];
      message: string;
      phase?: string;
    },
    options?: ApiRequestOptions,
  ): Promise<void> {
    const body = sovereignEventInputSchema.parse({
      ...event,
      message: event.message.slice(0, 4000),
    });
    await this.api.request('POST', `/v1/sovereigns/${seg(name)}/events`, {
      ...options,
      body,
    });
  }
}
