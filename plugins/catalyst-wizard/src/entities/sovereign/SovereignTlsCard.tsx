import Typography from '@material-ui/core/Typography';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { sovereignSpec } from '../catalystEntities';

/**
 * Where the Sovereign's certificates come from: the cert-manager ClusterIssuer of its wildcard certificate and the
 * DNS-01 setup its solver updates the zone with. The key's secret is never part of the entity.
 */
export function SovereignTlsCard() {
  const { entity } = useEntity();
  const tls = sovereignSpec(entity).tls;
  if (!tls?.issuer || !tls.dns01) {
    return (
      <InfoCard title="TLS">
        <Typography variant="body2" color="textSecondary">
          No certificate issuer has been set up for this Sovereign yet.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title="TLS">
      <StructuredMetadataTable
        metadata={{
          Issuer: tls.issuer,
          'ACME server': <code>{tls.acmeServer ?? '—'}</code>,
          Certificate: (tls.dnsNames ?? []).join(', ') || '—',
          'Certificate secret': tls.certificateSecret ?? '—',
          'DNS-01': 'RFC 2136 update with a TSIG key for this zone only',
          Nameserver: <code>{tls.dns01.nameserver ?? '—'}</code>,
          Zone: tls.dns01.zone ?? '—',
          'Key name': <code>{tls.dns01.keyName ?? '—'}</code>,
          Algorithm: tls.dns01.algorithm ?? '—',
        }}
      />
    </InfoCard>
  );
}
