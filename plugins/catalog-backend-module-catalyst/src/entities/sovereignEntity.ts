import { JsonObject } from '@backstage/types';
import { Entity } from '@backstage/catalog-model';
import {
  CATALYST_API_VERSION,
  SovereignRecord,
} from '@catalyst/plugin-catalyst-common';
import { providerLocationAnnotations } from './locations';

export const SOVEREIGN_PROVIDER_NAME = 'catalyst-sovereigns';
export const FQDN_ANNOTATION = 'catalyst.openova.io/fqdn';
export const PHASE_LABEL = 'catalyst.openova.io/phase';

/**
 * The catalog view of a registry record (docs/provisioning.md §8). Every signed-in user reads the catalog, so this is
 * the Sovereign's public face: no admin e-mail, no provisioning request, no event history and, by construction
 * of the record, no secret. The owning group reads the full record from the registry API.
 */
export function sovereignRecordToEntity(record: SovereignRecord): Entity {
  const providers = [...new Set(record.topology.regions.map(r => r.provider))];
  const consoleUrl = `https://console.${record.fqdn}`;
  const spec: Record<string, unknown> = {
    owner: record.owner,
    fqdn: record.fqdn,
    organization: record.organization,
    domain: { ...record.domain },
    topology: {
      template: record.topology.template,
      airgap: record.topology.airgap,
      haEnabled: record.topology.haEnabled,
      regions: record.topology.regions.map(r => ({ ...r })),
    },
    components: [...record.components],
    blueprints: [...record.blueprints],
    notInstallable: [...record.notInstallable],
    endpoints: {
      ...(record.outputs?.controlPlaneIp && {
        controlPlaneIp: record.outputs.controlPlaneIp,
      }),
      ...(record.outputs?.loadBalancerIp && {
        loadBalancerIp: record.outputs.loadBalancerIp,
      }),
      consoleUrl,
      gitUrl: `https://gitea.${record.fqdn}`,
    },
    dnsRecords: record.dnsRecords.map(r => ({ ...r })),
    phase: record.phase,
  };
  if (record.gitops) spec.gitops = { ...record.gitops };
  if (record.tls) {
    spec.tls = {
      ...record.tls,
      dnsNames: [...record.tls.dnsNames],
      dns01: { ...record.tls.dns01 },
    };
  }
  if (record.phaseReason) spec.phaseReason = record.phaseReason;
  if (record.taskId) spec.taskId = record.taskId;

  return {
    apiVersion: CATALYST_API_VERSION,
    kind: 'Sovereign',
    metadata: {
      name: record.name,
      namespace: 'default',
      title: record.fqdn,
      description: `Sovereign of ${record.organization} at ${record.fqdn}`,
      annotations: {
        ...providerLocationAnnotations(SOVEREIGN_PROVIDER_NAME, record.name),
        [FQDN_ANNOTATION]: record.fqdn,
      },
      labels: { [PHASE_LABEL]: record.phase },
      tags: [...providers, record.domain.mode],
      links: [{ url: consoleUrl, title: 'Console', icon: 'dashboard' }],
    },
    // Built from zod-validated records: plain JSON values only.
    spec: spec as JsonObject,
  };
}
