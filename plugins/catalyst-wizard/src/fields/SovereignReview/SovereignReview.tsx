import type { ReactNode } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useTemplateSecrets } from '@backstage/plugin-scaffolder-react';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { TOPOLOGIES, topologyFacts } from '@catalyst/plugin-catalyst-common';
import { useCatalogData } from '../useCatalogData';
import {
  REGISTRAR_TOKEN_SECRET,
  providerTokenSecret,
  providersInUse,
  wizardFormData,
} from '../wizardForm';
import { costOf, regionLabelsFor } from '../wizardRules';
import { domainFqdn } from '../DomainPicker/validation';
import {
  SOVEREIGN_RAM_FLOOR_GB,
  componentsByFamily,
  maskSecret,
  regionRamGb,
  regionsBelowRamFloor,
} from './reviewModel';

const money = (v: number) =>
  new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' }).format(
    v,
  );

const Section = ({
  title,
  children,
}: {
  title: string;
  children: ReactNode;
}) => (
  <Box component="section" aria-label={title} mb={2}>
    <Typography variant="h6">{title}</Typography>
    {children}
    <Divider style={{ marginTop: 8 }} />
  </Box>
);

const Row = ({ label, value }: { label: string; value: ReactNode }) => (
  <Typography variant="body2">
    <strong>{label}:</strong> {value}
  </Typography>
);

const DOMAIN_MODE_TEXT: Record<string, string> = {
  pool: 'Pool subdomain',
  'byo-manual': 'Own domain, NS set by hand',
  'byo-api': 'Own domain, NS set through the registrar API',
};

/** Page 7: everything that will be submitted, read-only. */
export const SovereignReview = (
  props: FieldExtensionComponentProps<boolean>,
) => {
  const form = wizardFormData(props.formContext);
  const { secrets } = useTemplateSecrets();
  const { data, loading, error } = useCatalogData();
  if (loading) return <Progress />;
  if (!data)
    return (
      <Alert severity="error">
        Could not load the catalogs: {error?.message}
      </Alert>
    );

  const topology = form.topology;
  const topologyInfo = TOPOLOGIES.find(t => t.id === topology?.template);
  const regions = form.regions ?? [];
  const labels = topology ? regionLabelsFor(topology) : [];
  const ha = !!topology?.haEnabled;
  const cost = costOf(data, regions, ha);
  const belowFloor = regionsBelowRamFloor(data, regions, ha);
  const selection = form.components ?? [];
  const groups = componentsByFamily(data, selection);
  const domain = form.domain;
  const fqdn = domainFqdn(domain);
  const providerName = (p: string) =>
    (data.nodeSizes.providers as Record<string, { name: string }>)[p]?.name ??
    p;

  return (
    <Box>
      <Section title="Organisation">
        <Row label="Name" value={form.orgName} />
        <Row label="Industry" value={form.orgIndustry} />
        <Row label="Size" value={form.orgSize} />
        <Row label="Headquarters" value={form.orgHeadquarters || '—'} />
        <Row
          label="Compliance"
          value={
            form.orgCompliance?.length ? form.orgCompliance.join(', ') : 'none'
          }
        />
      </Section>
      <Section title="Topology">
        <Row label="Template" value={topologyInfo?.name ?? '—'} />
        <Row
          label="Regions"
          value={
            topologyInfo && topology
              ? topologyFacts(topologyInfo.id, !!topology.airgap).summary
              : labels.length
          }
        />
        <Row
          label="High availability"
          value={
            ha
              ? '3-node etcd quorum per region'
              : 'single control-plane node per region'
          }
        />
        <Row
          label="AIR-GAP"
          value={topology?.airgap ? 'yes (isolated recovery region)' : 'no'}
        />
      </Section>
      <Section title="Provider">
        {regions.map((r, i) => (
          <Box key={i} mb={1}>
            <Typography variant="subtitle2">
              {labels[i] ?? `Region ${i + 1}`}
            </Typography>
            <Typography variant="body2">
              {providerName(r.provider)} · {r.cloudRegion} · control plane{' '}
              {r.controlPlaneSize}
              {ha ? ' ×3' : ''}
              {r.workerCount > 0
                ? ` · workers ${r.workerSize} × ${r.workerCount}`
                : ' · no workers'}{' '}
              · {money(cost.lines[i]?.perHour ?? 0)}/hr ·{' '}
              {regionRamGb(data, r, ha) ?? '?'} GB RAM
            </Typography>
          </Box>
        ))}
        <Row
          label="Total"
          value={`${money(cost.perHour)}/hr · ${money(
            cost.perMonth,
          )}/mo (nodes only)`}
        />
        {belowFloor.length > 0 && (
          <Alert severity="warning">
            {belowFloor.map(i => labels[i] ?? `Region ${i + 1}`).join(', ')}{' '}
            {belowFloor.length > 1 ? 'have' : 'has'} less than{' '}
            {SOVEREIGN_RAM_FLOOR_GB} GB of RAM, about what a Sovereign's
            platform needs; the full platform may not fit. Consider a larger
            control-plane size or add workers.
          </Alert>
        )}
      </Section>
      <Section title="Credentials">
        <Row label="Hetzner project ID" value={form.hetznerProjectId || '—'} />
        {providersInUse(regions).map(p => (
          <Row
            key={p}
            label={`${providerName(p)} token`}
            value={`${maskSecret(secrets[providerTokenSecret(p)])}${
              form.providerCredentials?.[p]?.validated
                ? ' · validated'
                : ' · not validated'
            }`}
          />
        ))}
        <Row
          label="SSH public key"
          value={
            form.sshPublicKey
              ? `${
                  form.sshPublicKey.split(/\s+/)[0]
                } …${form.sshPublicKey.slice(-12)}`
              : '—'
          }
        />
      </Section>
      <Section title={`Components (${selection.length})`}>
        {groups.map(g => (
          <Box key={g.family} mb={1}>
            <Typography variant="subtitle2">
              {g.family} ({g.names.length})
            </Typography>
            <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
              {g.names.map(n => (
                <Chip key={n} size="small" label={n} />
              ))}
            </Box>
          </Box>
        ))}
      </Section>
      <Section title="Domain">
        <Row label="Mode" value={DOMAIN_MODE_TEXT[domain?.mode ?? ''] ?? '—'} />
        {domain?.mode === 'pool' ? (
          <Row
            label="Subdomain"
            value={`${domain.subdomain} under ${domain.poolDomain}`}
          />
        ) : (
          <Row label="Domain" value={domain?.byoDomain || '—'} />
        )}
        {domain?.mode === 'byo-api' && (
          <>
            <Row label="Registrar" value={domain.registrar} />
            <Row
              label="Registrar token"
              value={maskSecret(secrets[REGISTRAR_TOKEN_SECRET])}
            />
          </>
        )}
        <Row label="Admin email" value={form.orgEmail} />
        <Row label="FQDN" value={fqdn || '—'} />
      </Section>
    </Box>
  );
};
