import '@testing-library/jest-dom';
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { sovereign } from '../__fixtures__/entities';
import { SovereignTlsCard } from './SovereignTlsCard';

function render(entity: Entity) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <SovereignTlsCard />
    </EntityProvider>,
  );
}

jest.setTimeout(30_000);

describe('SovereignTlsCard', () => {
  it('shows the certificate issuer and the DNS-01 setup: nameserver, zone and key name', async () => {
    await render(sovereign);
    expect(screen.getByText('letsencrypt-production')).toBeInTheDocument();
    expect(
      screen.getByText('https://acme-v02.api.letsencrypt.org/directory'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('*.acme.omani.works, acme.omani.works'),
    ).toBeInTheDocument();
    expect(screen.getByText('ns1.openova.io:53')).toBeInTheDocument();
    expect(screen.getByText('acme.omani.works')).toBeInTheDocument();
    expect(screen.getByText('dns01.acme.omani.works')).toBeInTheDocument();
    expect(screen.getByText('hmac-sha256')).toBeInTheDocument();
    expect(screen.queryByText(/secret:/i)).not.toBeInTheDocument();
  });

  it('says so when no issuer is recorded yet', async () => {
    const { tls, ...spec } = sovereign.spec!;
    expect(tls).toBeDefined();
    await render({ ...sovereign, spec });
    expect(
      screen.getByText(/No certificate issuer has been set up/),
    ).toBeInTheDocument();
  });
});
