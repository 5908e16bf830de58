import '@testing-library/jest-dom';
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { sovereign } from '../__fixtures__/entities';
import { registryApis } from '../__fixtures__/apis';
import { SovereignEventsContent } from './SovereignEventsContent';

const path = '/v1/sovereigns/acme-omani-works/events';

// Cards render through the whole test app; on a busy machine that takes seconds.
jest.setTimeout(30_000);

describe('SovereignEventsContent', () => {
  it('shows the registry history, newest first', async () => {
    const { apis, fetch } = registryApis({
      [path]: {
        status: 200,
        body: {
          items: [
            {
              time: '2026-11-20T10:00:00Z',
              phase: 'provisioning',
              level: 'info',
              message: 'Sovereign registered',
            },
            {
              time: '2026-11-20T10:20:00Z',
              phase: 'dns-pending',
              level: 'warn',
              message: 'Waiting for the NS delegation',
            },
          ],
        },
      },
    });
    await renderInTestApp(
      <EntityProvider entity={sovereign}>
        <SovereignEventsContent />
      </EntityProvider>,
      { apis },
    );
    expect(
      await screen.findByText('Events (2)', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
    const rows = screen.getAllByRole('row').map(r => r.textContent);
    const newer = rows.findIndex(r =>
      r?.includes('Waiting for the NS delegation'),
    );
    const older = rows.findIndex(r => r?.includes('Sovereign registered'));
    expect(newer).toBeGreaterThan(-1);
    expect(newer).toBeLessThan(older);
    expect(fetch).toHaveBeenCalledWith(
      `http://backend.test/api/catalyst${path}`,
      expect.anything(),
    );
  });

  it('accepts the reference API shape ({ events })', async () => {
    const { apis } = registryApis({
      [path]: {
        status: 200,
        body: {
          events: [
            {
              time: '2026-11-20T10:00:00Z',
              phase: 'provisioning',
              level: 'error',
              message: 'tofu apply failed',
            },
          ],
        },
      },
    });
    await renderInTestApp(
      <EntityProvider entity={sovereign}>
        <SovereignEventsContent />
      </EntityProvider>,
      { apis },
    );
    expect(
      await screen.findByText('tofu apply failed', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
  });

  it('explains a Sovereign the registry does not know (404)', async () => {
    const { apis } = registryApis({
      [path]: {
        status: 404,
        body: {
          error: { name: 'NotFoundError', message: 'no such Sovereign' },
        },
      },
    });
    await renderInTestApp(
      <EntityProvider entity={sovereign}>
        <SovereignEventsContent />
      </EntityProvider>,
      { apis },
    );
    expect(
      await screen.findByText(
        /keeps no event history for this Sovereign/,
        {},
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
  });

  it("explains that only the owning group reads another team's events (403)", async () => {
    const { apis } = registryApis({
      [path]: {
        status: 403,
        body: {
          error: { name: 'NotAllowedError', message: 'owning group only' },
        },
      },
    });
    await renderInTestApp(
      <EntityProvider entity={sovereign}>
        <SovereignEventsContent />
      </EntityProvider>,
      { apis },
    );
    expect(
      await screen.findByText(
        /Only members of this Sovereign's owning group and platform admins may read its events/,
        {},
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
  });

  it('shows a server failure as an error, not as an empty history', async () => {
    const { apis } = registryApis({
      [path]: {
        status: 500,
        body: {
          error: { name: 'Error', message: 'database is down' },
          response: { statusCode: 500 },
        },
      },
    });
    await renderInTestApp(
      <EntityProvider entity={sovereign}>
        <SovereignEventsContent />
      </EntityProvider>,
      { apis },
    );
    // The panel names the failed call in its title and again in its details.
    const shown = await screen.findAllByText(
      /events answered 500 Error: database is down/,
      {},
      { timeout: 15_000 },
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(screen.queryByText(/Events \(0\)/)).not.toBeInTheDocument();
  });
});
