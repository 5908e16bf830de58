import { useEffect, useState } from 'react';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import {
  ComponentReadiness,
  SovereignReadiness,
  SovereignRegistryClient,
} from '@catalyst/plugin-catalyst-common';

/** What the Sovereign page shows of Phase 1 (docs/phase1.md), from `GET /api/catalyst/v1/sovereigns/:name`. */
export interface PlatformView {
  phase?: string;
  phaseReason?: string;
  readiness?: SovereignReadiness;
  kubeconfigReceivedAt?: string;
}

/** Phases in which the platform may still change on its own; the page keeps polling while in one. */
const LIVE_PHASES = new Set(['provisioning', 'dns-pending', 'bootstrapping']);

/**
 * Polls the registry for the Sovereign's phase and per-component readiness while Phase 1 is under way (every
 * `intervalMs`), and once otherwise. A registry that does not answer leaves the page as it was.
 */
export function usePlatformReadiness(
  sovereignName: string,
  intervalMs = 2000,
): { view?: PlatformView; error?: Error } {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [state, setState] = useState<{ view?: PlatformView; error?: Error }>(
    {},
  );
  useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const record = await new SovereignRegistryClient({
          discoveryApi,
          fetchApi,
        }).get(sovereignName);
        if (!active) return;
        if (!record) {
          setState(s => ({
            ...s,
            error: new Error('The registry answered 404'),
          }));
          return;
        }
        const body = record as unknown as PlatformView;
        setState({
          view: {
            phase: body.phase,
            phaseReason: body.phaseReason,
            readiness: body.readiness,
            kubeconfigReceivedAt: body.kubeconfigReceivedAt,
          },
        });
        if (LIVE_PHASES.has(body.phase ?? '')) {
          timer = setTimeout(load, intervalMs);
        }
      } catch (e) {
        if (active) setState(s => ({ ...s, error: e as Error }));
      }
    };
    void load();
    return () => {
      active = false;
      if (timer) clearTimeout(timer);
    };
  }, [discoveryApi, fetchApi, sovereignName, intervalMs]);
  return state;
}

export type NodeStatus = 'ready' | 'progressing' | 'blocked' | 'failed';

/** The readiness of each component by its HelmRelease name (`bp-<name>`, the Blueprint entity's name). */
export function componentsByName(
  readiness: SovereignReadiness | undefined,
): Map<string, ComponentReadiness> {
  return new Map(
    (readiness?.components ?? [])
      .filter(c => c.kind === 'HelmRelease')
      .map(c => [c.name, c]),
  );
}

/** One line for a component, as its graph node and the status banner show it. */
export function describeComponent(c: ComponentReadiness): string {
  switch (c.state) {
    case 'ready':
      return 'ready';
    case 'blocked':
      return `waits on ${c.blockedBy ?? 'a dependency'}`;
    case 'failed':
      return `failed: ${c.cause ?? c.reason ?? 'unknown'}`;
    default:
      return 'progressing';
  }
}
