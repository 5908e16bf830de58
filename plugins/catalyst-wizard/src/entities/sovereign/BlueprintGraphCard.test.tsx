import '@testing-library/jest-dom';
import { screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  cnpg,
  gitea,
  grafana,
  keycloak,
  sovereign,
} from '../__fixtures__/entities';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import {
  BlueprintGraphCard,
  READABLE_ZOOM,
  initialZoom,
} from './BlueprintGraphCard';

// React Flow measures its viewport and nodes; jsdom has no layout engine, so it gets a fixed-size observer.
class FixedResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    this.callback(
      [
        {
          target,
          contentRect: { width: 800, height: 400 },
        } as unknown as ResizeObserverEntry,
      ],
      this as unknown as ResizeObserver,
    );
  }
  unobserve() {}
  disconnect() {}
}

beforeAll(() => {
  (globalThis as any).ResizeObserver = FixedResizeObserver;
  (globalThis as any).DOMMatrixReadOnly = class {
    m22: number;
    constructor(transform?: string) {
      const scale = transform?.match(/scale\(([1-9.])\)/)?.[1];
      this.m22 = scale !== undefined ? Number(scale) : 1;
    }
  };
});

// Cards render through the whole test app; on a busy machine that takes seconds.
jest.setTimeout(30_000);

describe('BlueprintGraphCard', () => {
  it('draws one node per installed Blueprint, linked to its page', async () => {
    const catalogApi = catalogApiMock({
      entities: [grafana, keycloak, cnpg, gitea],
    });
    const { container } = await renderInTestApp(
      <EntityProvider entity={sovereign}>
        <BlueprintGraphCard />
      </EntityProvider>,
      {
        apis: [[catalogApiRef, catalogApi]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );

    await waitFor(
      () =>
        expect(container.querySelectorAll('.react-flow__node')).toHaveLength(4),
      { timeout: 15_000 },
    );
    const ids = [...container.querySelectorAll('.react-flow__node')].map(n =>
      n.getAttribute('data-id'),
    );
    expect(ids.sort()).toEqual([
      'blueprint:default/bp-cnpg',
      'blueprint:default/bp-grafana',
      'blueprint:default/bp-keycloak',
      'blueprint:default/bp-velero',
    ]);
    // gitea is in the catalog but not installed on this Sovereign.
    expect(screen.queryByText('bp-gitea')).not.toBeInTheDocument();
    // Known Blueprints link to their entity page; the version shown is the one the Sovereign runs.
    expect(screen.getByText('bp-grafana').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/blueprint/bp-grafana',
    );
    expect(screen.getByText('2.0.5 · insights')).toBeInTheDocument();
    // bp-velero is not in the catalog: drawn, but without a link.
    expect(screen.getByText('bp-velero').closest('a')).toBeNull();
    expect(
      screen.getByText(/1 \(dashed\) is not in the catalog/),
    ).toBeInTheDocument();
    // Edges are drawn once React Flow has measured the node handles, which needs a real layout engine:
    // the edge set is covered by the blueprintGraph tests and the browser test.
  });

  it('says so when no Blueprint has been resolved yet', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={{
          ...sovereign,
          relations: [],
          spec: { ...sovereign.spec, blueprints: [] },
        }}
      >
        <BlueprintGraphCard />
      </EntityProvider>,
      {
        apis: [[catalogApiRef, catalogApiMock()]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText(
        /No Blueprints have been resolved/,
        {},
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
  });

  it('colours each Blueprint by its platform readiness and names the first blocked one', async () => {
    const since = '2026-12-03T10:00:00.000Z';
    const record = {
      name: sovereign.metadata.name,
      phase: 'degraded',
      phaseReason: 'CRDMissing',
      kubeconfigReceivedAt: since,
      readiness: {
        observedAt: since,
        firstBlocked: 'bp-cnpg',
        components: [
          {
            name: 'bp-velero',
            kind: 'HelmRelease',
            ready: true,
            state: 'ready',
            dependsOn: [],
            since,
          },
          {
            name: 'bp-cnpg',
            kind: 'HelmRelease',
            ready: false,
            state: 'failed',
            cause: 'CRDMissing',
            reason: 'InstallFailed',
            message: 'no matches for kind "Cluster"',
            dependsOn: [],
            since,
          },
          {
            name: 'bp-keycloak',
            kind: 'HelmRelease',
            ready: false,
            state: 'blocked',
            cause: 'DependencyNotReady',
            blockedBy: 'bp-cnpg',
            dependsOn: ['bp-cnpg'],
            since,
          },
        ],
      },
    };
    const fetch = jest.fn(async (url: string) => {
      expect(url).toBe(
        `http://localhost:7007/api/catalyst/v1/sovereigns/${sovereign.metadata.name}`,
      );
      return new Response(JSON.stringify(record), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    });
    await renderInTestApp(
      <EntityProvider entity={sovereign}>
        <BlueprintGraphCard />
      </EntityProvider>,
      {
        apis: [
          [
            catalogApiRef,
            catalogApiMock({ entities: [grafana, keycloak, cnpg, gitea] }),
          ],
          [fetchApiRef, { fetch } as any],
          [
            discoveryApiRef,
            {
              getBaseUrl: async (id: string) =>
                `http://localhost:7007/api/${id}`,
            } as any,
          ],
        ],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByTestId(
        'platform-first-blocked',
        {},
        { timeout: 15_000 },
      ),
    ).toHaveTextContent('Blocked at bp-cnpg: CRDMissing');
    expect(screen.getByTestId('platform-summary')).toHaveTextContent(
      '1 of 3 platform components ready',
    );
    await waitFor(() =>
      expect(screen.getByTestId('blueprint-node-bp-keycloak')).toHaveAttribute(
        'data-status',
        'blocked',
      ),
    );
    expect(screen.getByText('waits on bp-cnpg')).toBeInTheDocument();
    expect(screen.getByText('failed: CRDMissing')).toBeInTheDocument();
    expect(screen.getByTestId('blueprint-node-bp-velero')).toHaveAttribute(
      'data-status',
      'ready',
    );
    // A degraded Sovereign is decided: the page stops polling.
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('kubeconfig-download')).toBeInTheDocument();
  });
});

describe('initialZoom', () => {
  it('fits a graph that fits at a readable size and never shrinks a wide one below it', () => {
    expect(initialZoom(1000, 600)).toBe(1);
    expect(initialZoom(1000, 1100)).toBeCloseTo(968 / 1100);
    expect(initialZoom(900, 2600)).toBe(READABLE_ZOOM);
    expect(initialZoom(0, 2600)).toBe(1);
  });
});
