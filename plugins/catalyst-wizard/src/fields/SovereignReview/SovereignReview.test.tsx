import { screen, within } from '@testing-library/react';
import {
  addComponent,
  defaultSelection,
} from '@catalyst/plugin-catalyst-common';
import {
  StatefulField,
  catalogData,
  mockCatalystApi,
  renderField,
} from '../__testUtils__/renderField';
import { SovereignReview } from './SovereignReview';
import { maskSecret } from './reviewModel';

const selection = addComponent(
  catalogData.components,
  defaultSelection(catalogData.components),
  'matrix',
).selection;

const form = {
  orgName: 'Omantel',
  orgIndustry: 'Telecommunications',
  orgSize: '10,000+',
  orgHeadquarters: 'Muscat, Oman',
  orgCompliance: ['ISO 27001', 'GDPR'],
  topology: { template: 'dual', airgap: true, haEnabled: true },
  regions: [
    {
      provider: 'hetzner',
      cloudRegion: 'fsn1',
      controlPlaneSize: 'cpx32',
      workerSize: 'cpx32',
      workerCount: 0,
      airgap: false,
    },
    {
      provider: 'hetzner',
      cloudRegion: 'nbg1',
      controlPlaneSize: 'ccx33',
      workerSize: 'cpx42',
      workerCount: 2,
      airgap: false,
    },
    {
      provider: 'hetzner',
      cloudRegion: 'hel1',
      controlPlaneSize: 'cpx32',
      workerSize: 'cpx32',
      workerCount: 0,
      airgap: true,
    },
  ],
  providerCredentials: { hetzner: { validated: true, length: 64 } },
  hetznerProjectId: 'proj_123',
  sshPublicKey:
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEjKaN4Q08ggu0FRiIdPbAIhrCv2S6ZmVnaZXwmWIfuA op@host',
  components: selection,
  domain: {
    mode: 'byo-api',
    poolDomain: '',
    subdomain: '',
    byoDomain: 'bank.example.com',
    registrar: 'cloudflare',
  },
  orgEmail: 'ops@bank.example.com',
};

describe('SovereignReview', () => {
  it('shows every choice, the real component selection by family, cost, HA and masked secrets', async () => {
    const token = 'h'.repeat(64);
    await renderField(
      <StatefulField component={SovereignReview} formData={form} />,
      mockCatalystApi(),
      {
        hetznerToken: token,
        registrarToken: 'cf-token-123',
      },
    );
    const org = await screen.findByRole('region', { name: 'Organisation' });
    expect(org).toHaveTextContent('Omantel');
    expect(org).toHaveTextContent('ISO 27001, GDPR');
    const topology = screen.getByRole('region', { name: 'Topology' });
    expect(topology).toHaveTextContent('DUAL');
    expect(topology).toHaveTextContent('Regions: 3');
    expect(topology).toHaveTextContent('3-node etcd quorum per region');
    const provider = screen.getByRole('region', { name: 'Provider' });
    expect(provider).toHaveTextContent('AIR-GAP — Ransomware Recovery');
    expect(provider).toHaveTextContent('workers cpx42 × 2');
    // HA: 3 × cpx32 (0.0696) + 3 × ccx33 + 2 × cpx42 (0.3819) + 3 × cpx32 (0.0696) = 0.5211 €/hr; × 730 = 380.40 €/mo
    expect(provider).toHaveTextContent('€0.52/hr · €380.40/mo (nodes only)');
    const creds = screen.getByRole('region', { name: 'Credentials' });
    expect(creds).toHaveTextContent(`${'•'.repeat(12)} (64 chars) · validated`);
    expect(creds).not.toHaveTextContent('hhhh');
    const components = screen.getByRole('region', {
      name: `Components (${selection.length})`,
    });
    expect(within(components).getByText('Matrix')).toBeInTheDocument();
    expect(within(components).getByText(/^RELAY \(\d+\)$/)).toBeInTheDocument();
    const domain = screen.getByRole('region', { name: 'Domain' });
    expect(domain).toHaveTextContent(
      `Registrar token: ${'•'.repeat(12)} (12 chars)`,
    );
    expect(domain).not.toHaveTextContent('cf-token-123');
    expect(domain).toHaveTextContent('FQDN: bank.example.com');
  });

  it('warns when a region stays below the RAM floor', async () => {
    await renderField(
      <StatefulField
        component={SovereignReview}
        formData={{
          ...form,
          topology: { template: 'solo', airgap: false, haEnabled: false },
          regions: [form.regions[0]],
        }}
      />,
      mockCatalystApi(),
    );
    expect(
      await screen.findByText(
        /Region 1 — All Components has less than 20 GB of RAM/,
      ),
    ).toBeInTheDocument();
  });

  it('masks secrets as 12 bullets and their length', () => {
    expect(maskSecret('abc')).toBe('•••••••••••• (3 chars)');
    expect(maskSecret('')).toBe('not set');
  });
});
