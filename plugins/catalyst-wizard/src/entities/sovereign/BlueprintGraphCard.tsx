import { useCallback, useMemo, useRef } from 'react';
import '@xyflow/react/dist/style.css';
import {
  Background,
  Controls,
  Edge,
  Handle,
  MarkerType,
  Node,
  NodeProps,
  Position,
  ReactFlow,
  ReactFlowInstance,
} from '@xyflow/react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  useEntity,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { BlueprintLogo } from '../blueprint/BlueprintLogo';
import { useAsyncValue } from '../useAsyncValue';
import {
  BlueprintGraphNode,
  buildBlueprintGraph,
  sovereignBlueprintRefs,
} from './blueprintGraph';
import { SovereignPlatformStatus } from './SovereignPlatformStatus';
import {
  NodeStatus,
  componentsByName,
  describeComponent,
  usePlatformReadiness,
} from './usePlatformReadiness';
import {
  BLUEPRINT_NODE_HEIGHT,
  BLUEPRINT_NODE_WIDTH,
  layoutBlueprintGraph,
} from './layoutBlueprintGraph';

// React Flow wants node data to be an open record.
type BlueprintNodeData = BlueprintGraphNode & {
  href?: string;
  /** Phase 1 readiness of the Blueprint's HelmRelease, once the watcher has seen the cluster. */
  status?: NodeStatus;
  statusText?: string;
  /** The root cause of the Sovereign's Phase 1 (the first blocked component). */
  rootCause?: boolean;
} & Record<string, unknown>;
type BlueprintFlowNode = Node<BlueprintNodeData, 'blueprint'>;

/**
 * The smallest zoom at which a node's name and version stay readable. A Sovereign with dozens of Blueprints is
 * wider than the card: instead of shrinking it to fit (unreadable until zoomed), the graph opens at this zoom on
 * its foundations (left) and is dragged sideways; a graph that fits at a readable size is fitted.
 */
export const READABLE_ZOOM = 0.85;

/** The zoom the graph opens at in a box of the given width: fitted, but never below READABLE_ZOOM nor above 1. */
export function initialZoom(boxWidth: number, graphWidth: number): number {
  if (!boxWidth || !graphWidth) return 1;
  return Math.min(1, Math.max(READABLE_ZOOM, (boxWidth - 32) / graphWidth));
}

function BlueprintNode(props: NodeProps<BlueprintFlowNode>) {
  const { data } = props;
  const theme = useTheme();
  const statusColors: Record<NodeStatus, string> = {
    ready: theme.palette.success.main,
    progressing: theme.palette.info.main,
    blocked: theme.palette.warning.main,
    failed: theme.palette.error.main,
  };
  const statusColor = data.status ? statusColors[data.status] : undefined;
  const body = (
    <Box
      display="flex"
      alignItems="center"
      data-testid={`blueprint-node-${data.name}`}
      data-status={data.status}
      style={{
        gap: 8,
        width: BLUEPRINT_NODE_WIDTH,
        height: BLUEPRINT_NODE_HEIGHT,
        padding: '0 10px',
        boxSizing: 'border-box',
        borderRadius: 8,
        background: theme.palette.background.paper,
        border: `${data.rootCause ? 3 : 1}px ${
          data.entity ? 'solid' : 'dashed'
        } ${statusColor ?? theme.palette.divider}`,
        color: theme.palette.text.primary,
      }}
      title={
        data.entity ? undefined : `${data.name} is not in the catalog (yet)`
      }
    >
      <BlueprintLogo entity={data.entity} name={data.name} size={28} />
      <Box minWidth={0}>
        <Typography variant="body2" noWrap style={{ fontWeight: 600 }}>
          {data.title}
        </Typography>
        <Typography
          variant="caption"
          color="textSecondary"
          noWrap
          component="div"
        >
          {[data.version, data.family].filter(Boolean).join(' · ')}
        </Typography>
        {data.statusText && (
          <Typography
            variant="caption"
            noWrap
            component="div"
            style={{ color: statusColor }}
          >
            {data.statusText}
          </Typography>
        )}
      </Box>
    </Box>
  );
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      {data.href ? (
        <Link to={data.href} underline="none" className="nodrag nopan">
          {body}
        </Link>
      ) : (
        body
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </>
  );
}

const nodeTypes = { blueprint: BlueprintNode };

/**
 * A picture of the Blueprints a Sovereign runs: one node per Blueprint, an arrow from each Blueprint to the
 * Blueprints that need it, laid out by ELK so the foundations sit on the left.
 */
export function BlueprintGraphCard() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const entityRoute = useEntityRefLink();
  const theme = useTheme();
  const platform = usePlatformReadiness(entity.metadata.name);
  const readiness = platform.view?.readiness;

  const graph = useAsyncValue(async () => {
    const installed = sovereignBlueprintRefs(entity);
    const refs = [...installed.keys()];
    const found =
      refs.length > 0
        ? (await catalogApi.getEntitiesByRefs({ entityRefs: refs })).items
        : [];
    const model = buildBlueprintGraph(
      installed,
      found.filter((e): e is Entity => Boolean(e)),
    );
    const layout = await layoutBlueprintGraph(model);
    return { model, layout };
  }, [entity, catalogApi]);

  const flow = useMemo(() => {
    if (!graph.value) return undefined;
    const { model, layout } = graph.value;
    const at = new Map(layout.nodes.map(n => [n.ref, n]));
    const components = componentsByName(readiness);
    const nodes: BlueprintFlowNode[] = model.nodes.map(node => ({
      id: node.ref,
      type: 'blueprint',
      position: { x: at.get(node.ref)?.x ?? 0, y: at.get(node.ref)?.y ?? 0 },
      width: BLUEPRINT_NODE_WIDTH,
      height: BLUEPRINT_NODE_HEIGHT,
      data: {
        ...node,
        href: node.entity ? entityRoute(node.entity) : undefined,
        ...(components.has(node.name)
          ? {
              status: components.get(node.name)!.state,
              statusText: describeComponent(components.get(node.name)!),
              rootCause:
                readiness?.firstBlocked === node.name &&
                components.get(node.name)!.state === 'failed',
            }
          : {}),
      },
      draggable: false,
      connectable: false,
      selectable: false,
      ariaLabel: `Blueprint ${node.name}`,
    }));
    const edges: Edge[] = model.edges.map(edge => ({
      id: `${edge.dependency}->${edge.dependent}`,
      source: edge.dependency,
      target: edge.dependent,
      markerEnd: { type: MarkerType.ArrowClosed },
      style: { stroke: theme.palette.text.secondary },
    }));
    return { nodes, edges, height: layout.height, width: layout.width };
  }, [graph.value, entityRoute, theme, readiness]);

  const box = useRef<HTMLDivElement>(null);
  const graphWidth = flow?.width ?? 0;
  const onInit = useCallback(
    (instance: ReactFlowInstance<BlueprintFlowNode, Edge>) => {
      const zoom = initialZoom(box.current?.clientWidth ?? 0, graphWidth);
      instance.setViewport({ x: 16, y: 16, zoom });
    },
    [graphWidth],
  );

  // Once decommissioned nothing runs: the graph is what it ran, not what is installed.
  const title =
    entity.spec?.phase === 'decommissioned'
      ? 'Blueprints it ran (removed)'
      : 'Installed Blueprints';
  if (graph.loading) {
    return (
      <InfoCard title={title}>
        <Progress />
      </InfoCard>
    );
  }
  if (graph.error) return <ResponseErrorPanel error={graph.error} />;
  if (!flow || flow.nodes.length === 0) {
    return (
      <InfoCard title={title}>
        <SovereignPlatformStatus
          sovereignName={entity.metadata.name}
          view={platform.view}
        />
        <Typography variant="body2" color="textSecondary">
          No Blueprints have been resolved for this Sovereign yet.
        </Typography>
      </InfoCard>
    );
  }
  const missing = graph.value!.model.nodes.filter(n => !n.entity).length;
  return (
    <InfoCard
      title={title}
      subheader={`${
        flow.nodes.length
      } Blueprints; an arrow points from a Blueprint to the Blueprints that need it. Drag the graph to see the rest.${
        missing > 0
          ? ` ${missing} (dashed) ${
              missing === 1 ? 'is' : 'are'
            } not in the catalog.`
          : ''
      }`}
    >
      <SovereignPlatformStatus
        sovereignName={entity.metadata.name}
        view={platform.view}
      />
      <div
        data-testid="blueprint-graph"
        ref={box}
        style={{
          // Tall enough for the whole graph at a readable zoom, up to a screenful.
          height: Math.min(
            Math.max(flow.height * READABLE_ZOOM + 48, 240),
            720,
          ),
          width: '100%',
        }}
      >
        <ReactFlow
          nodes={flow.nodes}
          edges={flow.edges}
          nodeTypes={nodeTypes}
          onInit={onInit}
          minZoom={0.2}
          maxZoom={1.5}
          preventScrolling={false}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          colorMode={theme.palette.type === 'dark' ? 'dark' : 'light'}
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </InfoCard>
  );
}
