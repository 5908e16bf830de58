import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  SovereignEvent,
  SovereignRecord,
  SovereignRecordPhase,
  SovereignRecordUpsert,
  sovereignEntityName,
  sovereignEventInputSchema,
  sovereignPhaseChangeSchema,
  sovereignRecordUpsertSchema,
} from '@catalyst/plugin-catalyst-common';
import { PluginApiClient } from '@catalyst/plugin-catalyst-node';

const seg = encodeURIComponent;

/**
 * Client of the Sovereign registry in catalyst-backend (`/api/catalyst/v1/sovereigns`). Every body is checked
 * with the registry's own strict schemas before it leaves, so a secret-bearing field fails here, in the action,
 * instead of reaching the wire.
 */
export class SovereignRegistryClient {
  private readonly api: PluginApiClient;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    timeoutMs?: number;
  }) {
    this.api = new PluginApiClient({
      ...options,
      pluginId: 'catalyst',
      serviceName: 'Sovereign registry',
    });
  }

  async get(
    name: string,
    signal?: AbortSignal,
  ): Promise<SovereignRecord | undefined> {
    const { status, body } = await this.api.request<SovereignRecord>(
      'GET',
      `/v1/sovereigns/${seg(name)}`,
      { signal, accept: [404] },
    );
    return status === 404 ? undefined : body;
  }

  /** Creates or replaces the record; the entity provider then emits the Sovereign entity. */
  async upsert(
    record: SovereignRecordUpsert,
    signal?: AbortSignal,
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
      { body: parsed.data, signal },
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
    signal?: AbortSignal,
  ): Promise<SovereignRecord | undefined> {
    const current = await this.get(name, signal);
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
    return this.upsert({ ...fields, dnsRecords }, signal);
  }

  /**
   * Mints the single-use secret the Sovereign's cluster hands its kubeconfig back with (docs/phase1.md §1).
   * The plain secret exists only in the answer; the caller passes it to OpenTofu through the environment.
   * Answers undefined when the cluster has already handed its kubeconfig back.
   */
  async mintHandoffSecret(
    name: string,
    signal?: AbortSignal,
  ): Promise<{ secret: string; expiresAt: string } | undefined> {
    const { status, body } = await this.api.request<{
      secret: string;
      expiresAt: string;
    }>('POST', `/v1/sovereigns/${seg(name)}/handoff-secret`, {
      signal,
      accept: [409],
    });
    return status === 409 ? undefined : body;
  }

  async setPhase(
    name: string,
    change: { phase: SovereignRecordPhase; reason?: string; message: string },
    signal?: AbortSignal,
  ): Promise<SovereignRecord> {
    const body = sovereignPhaseChangeSchema.parse(change);
    const response = await this.api.request<{ record: SovereignRecord }>(
      'POST',
      `/v1/sovereigns/${seg(name)}/phase`,
      { body, signal },
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
    signal?: AbortSignal,
  ): Promise<void> {
    const body = sovereignEventInputSchema.parse({
      ...event,
      message: event.message.slice(0, 4000),
    });
    await this.api.request('POST', `/v1/sovereigns/${seg(name)}/events`, {
      body,
      signal,
    });
  }
}
