import ELK, { ElkNode } from 'elkjs/lib/elk.bundled.js';
import { BlueprintGraph, BlueprintGraphEdge } from './blueprintGraph';

export const BLUEPRINT_NODE_WIDTH = 220;
export const BLUEPRINT_NODE_HEIGHT = 56;

export interface PositionedBlueprintNode {
  ref: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BlueprintGraphLayout {
  nodes: PositionedBlueprintNode[];
  edges: BlueprintGraphEdge[];
  width: number;
  height: number;
}

// The bundled build runs ELK in the calling thread: no web worker to ship or to mock in tests.
const elk = new ELK();

/**
 * Places the Blueprints in layers from left to right: a Blueprint sits to the right of everything it
 * depends on, so the foundations (databases, identity) are on the left and the products on the right.
 */
export async function layoutBlueprintGraph(
  graph: BlueprintGraph,
): Promise<BlueprintGraphLayout> {
  const graphIn: ElkNode = {
    id: 'blueprints',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'SPLINES',
      'elk.spacing.nodeNode': '20',
      'elk.layered.spacing.nodeNodeBetweenLayers': '72',
      'elk.spacing.componentComponent': '32',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    },
    children: graph.nodes.map(node => ({
      id: node.ref,
      width: BLUEPRINT_NODE_WIDTH,
      height: BLUEPRINT_NODE_HEIGHT,
    })),
    edges: graph.edges.map((edge, index) => ({
      id: `e${index}`,
      sources: [edge.dependency],
      targets: [edge.dependent],
    })),
  };
  const result: ElkNode = await elk.layout(graphIn);
  const nodes = (result.children ?? []).map(child => ({
    ref: child.id,
    x: child.x ?? 0,
    y: child.y ?? 0,
    width: child.width ?? BLUEPRINT_NODE_WIDTH,
    height: child.height ?? BLUEPRINT_NODE_HEIGHT,
  }));
  return {
    nodes,
    edges: graph.edges,
    width: result.width ?? 0,
    height: result.height ?? 0,
  };
}
