import { buildBlueprintGraph, sovereignBlueprintRefs } from './blueprintGraph';
import { layoutBlueprintGraph } from './layoutBlueprintGraph';
import {
  cnpg,
  gitea,
  grafana,
  keycloak,
  sovereign,
} from '../__fixtures__/entities';

describe('buildBlueprintGraph', () => {
  it('takes the nodes from the Sovereign and the edges from the Blueprints it runs', () => {
    const installed = sovereignBlueprintRefs(sovereign);
    const graph = buildBlueprintGraph(installed, [
      grafana,
      keycloak,
      cnpg,
      gitea,
    ]);

    expect(graph.nodes.map(n => n.ref)).toEqual([
      'blueprint:default/bp-cnpg',
      'blueprint:default/bp-grafana',
      'blueprint:default/bp-keycloak',
      'blueprint:default/bp-velero',
    ]);
    // The Sovereign's resolved version wins over the catalog's newest one.
    expect(graph.nodes.find(n => n.name === 'bp-grafana')?.version).toBe(
      '2.0.5',
    );
    // bp-velero is installed but unknown to the catalog: a node without entity and without edges.
    expect(graph.nodes.find(n => n.name === 'bp-velero')?.entity).toBe(
      undefined,
    );
    // gitea is in the catalog but not installed here, so it is neither a node nor an edge end.
    expect(graph.edges).toEqual([
      {
        dependency: 'blueprint:default/bp-cnpg',
        dependent: 'blueprint:default/bp-grafana',
      },
      {
        dependency: 'blueprint:default/bp-keycloak',
        dependent: 'blueprint:default/bp-grafana',
      },
      {
        dependency: 'blueprint:default/bp-cnpg',
        dependent: 'blueprint:default/bp-keycloak',
      },
    ]);
  });
});

describe('layoutBlueprintGraph', () => {
  it('places every Blueprint right of what it depends on, without overlaps', async () => {
    const graph = buildBlueprintGraph(sovereignBlueprintRefs(sovereign), [
      grafana,
      keycloak,
      cnpg,
    ]);
    const layout = await layoutBlueprintGraph(graph);

    expect(layout.nodes).toHaveLength(4);
    const at = new Map(layout.nodes.map(n => [n.ref, n]));
    for (const edge of graph.edges) {
      const dependency = at.get(edge.dependency)!;
      const dependent = at.get(edge.dependent)!;
      expect(dependent.x).toBeGreaterThanOrEqual(
        dependency.x + dependency.width,
      );
    }
    // cnpg → keycloak → grafana is a chain of three layers.
    const cnpgX = at.get('blueprint:default/bp-cnpg')!.x;
    const keycloakX = at.get('blueprint:default/bp-keycloak')!.x;
    const grafanaX = at.get('blueprint:default/bp-grafana')!.x;
    expect(cnpgX).toBeLessThan(keycloakX);
    expect(keycloakX).toBeLessThan(grafanaX);

    for (const a of layout.nodes) {
      for (const b of layout.nodes) {
        if (a === b) continue;
        const overlaps =
          a.x < b.x + b.width &&
          b.x < a.x + a.width &&
          a.y < b.y + b.height &&
          b.y < a.y + a.height;
        expect(overlaps).toBe(false);
      }
    }
    expect(layout.width).toBeGreaterThanOrEqual(grafanaX);
    expect(layout.height).toBeGreaterThan(0);
  });

  it('lays out an empty graph', async () => {
    const layout = await layoutBlueprintGraph({ nodes: [], edges: [] });
    expect(layout.nodes).toEqual([]);
  });
});
