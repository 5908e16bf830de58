import {
  ComponentCause,
  ComponentReadiness,
  ComponentState,
  SovereignReadiness,
} from '@catalyst/plugin-catalyst-common';

/** The part of a Flux HelmRelease / Kustomization the watcher reads. */
export interface FluxObject {
  kind: 'HelmRelease' | 'Kustomization';
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec?: { dependsOn?: Array<{ name: string; namespace?: string }> };
  status?: {
    conditions?: Array<{
      type: string;
      status: 'True' | 'False' | 'Unknown';
      reason?: string;
      message?: string;
      lastTransitionTime?: string;
    }>;
  };
}

export type Classification = {
  state: ComponentState;
  cause?: ComponentCause;
  reason?: string;
  message?: string;
  /** Flux gave up (Stalled=True): nothing changes without someone fixing it. */
  terminal: boolean;
};

const CRD_MISSING =
  /no matches for kind|ensure CRDs are installed|could not find the requested resource|CustomResourceDefinition .* not found/i;
const SOURCE_UNREACHABLE =
  /failed to (fetch|pull|download|get)|connection refused|no such host|i\/o timeout|TLS handshake|unauthorized|401 Unauthorized|403 Forbidden|not found in repository|artifact .* not found/i;
const SOURCE_REASONS = new Set([
  'ArtifactFailed',
  'SourceNotReady',
  'ArtifactNotFound',
  'HelmChartNotReady',
  'GitOperationFailed',
  'ChartPullFailed',
  'AuthenticationFailed',
]);

function condition(obj: FluxObject, type: string) {
  return obj.status?.conditions?.find(c => c.type === type);
}

/**
 * Reads one Flux object's conditions the way `flux get` does and maps the failure onto a stable cause code.
 */
export function classifyFluxObject(obj: FluxObject): Classification {
  const ready = condition(obj, 'Ready');
  const stalled = condition(obj, 'Stalled')?.status === 'True';
  const reason = ready?.reason;
  const message = ready?.message?.slice(0, 1000);
  if (ready?.status === 'True') {
    return { state: 'ready', reason, message, terminal: false };
  }
  if (
    reason === 'DependencyNotReady' ||
    /dependency '[^']+' is not ready/.test(message ?? '')
  ) {
    return {
      state: 'blocked',
      cause: 'DependencyNotReady',
      reason,
      message,
      terminal: false,
    };
  }
  if (!ready || ready.status === 'Unknown') {
    return { state: 'progressing', reason, message, terminal: false };
  }
  // Ready=False from here on.
  let cause: ComponentCause = 'Unknown';
  if (CRD_MISSING.test(message ?? '')) cause = 'CRDMissing';
  else if (
    SOURCE_REASONS.has(reason ?? '') ||
    SOURCE_UNREACHABLE.test(message ?? '')
  ) {
    cause = 'SourceUnreachable';
  } else if (reason === 'InstallFailed') cause = 'InstallFailed';
  else if (reason === 'UpgradeFailed') cause = 'UpgradeFailed';
  else if (reason === 'Progressing' || reason === 'ProgressingWithRetry') {
    return { state: 'progressing', reason, message, terminal: false };
  }
  return { state: 'failed', cause, reason, message, terminal: stalled };
}

export interface ReadinessInput {
  /** HelmRelease names the Sovereign's overlay declares (`bp-<name>`); missing ones count as not ready. */
  expected: string[];
  objects: FluxObject[];
  previous?: SovereignReadiness;
  now: Date;
  /** Past the overall deadline: whatever is not ready has timed out. */
  timedOut: boolean;
}

export type Verdict =
  | { phase: 'bootstrapping' }
  | { phase: 'ready' | 'degraded' | 'failed'; reason: string; message: string };

/**
 * Folds the cluster's Flux objects into per-component readiness (dependency order), computes which component
 * blocks which, names the root cause, and decides the Sovereign's phase.
 */
export function evaluateReadiness(input: ReadinessInput): {
  readiness: SovereignReadiness;
  verdict: Verdict;
  terminalFailures: Set<string>;
} {
  const byName = new Map<string, FluxObject>();
  for (const obj of input.objects) {
    const key = `${obj.kind}/${obj.metadata.name}`;
    byName.set(key, obj);
  }
  const previous = new Map(
    (input.previous?.components ?? []).map(c => [`${c.kind}/${c.name}`, c]),
  );
  const draft = new Map<
    string,
    Omit<ComponentReadiness, 'since'> & { terminal: boolean }
  >();
  for (const obj of byName.values()) {
    const c = classifyFluxObject(obj);
    draft.set(`${obj.kind}/${obj.metadata.name}`, {
      name: obj.metadata.name,
      kind: obj.kind,
      ready: c.state === 'ready',
      state: c.state,
      ...(c.cause ? { cause: c.cause } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
      dependsOn: (obj.spec?.dependsOn ?? []).map(d => d.name),
      terminal: c.terminal,
    });
  }
  for (const name of input.expected) {
    const key = `HelmRelease/${name}`;
    if (!draft.has(key)) {
      draft.set(key, {
        name,
        kind: 'HelmRelease',
        ready: false,
        state: 'progressing',
        cause: 'NotFound',
        reason: 'NotFound',
        message: 'Not on the cluster yet (Flux has not applied the overlay)',
        dependsOn: [],
        terminal: false,
      });
    }
  }

  const helm = (name: string) => draft.get(`HelmRelease/${name}`);
  // Who blocks whom: the first dependency that is not ready. Flux names one too; ours follows the declared order.
  for (const c of draft.values()) {
    if (c.ready) continue;
    const blocker = c.dependsOn.find(dep => {
      const d = helm(dep);
      return !d || !d.ready;
    });
    if (blocker && (c.state === 'blocked' || c.state === 'progressing')) {
      c.state = 'blocked';
      c.cause = 'DependencyNotReady';
      c.blockedBy = blocker;
    }
  }
  if (input.timedOut) {
    for (const c of draft.values()) {
      if (c.state === 'progressing') {
        c.state = 'failed';
        c.cause = 'TimedOut';
        c.message = `Not ready before the deadline${
          c.message ? ` (last: ${c.message})` : ''
        }`.slice(0, 1000);
      }
    }
  }

  const ordered = topologicalOrder([...draft.values()]);
  const rootOf = (c: (typeof ordered)[number]) => {
    let current = c;
    const seen = new Set<string>();
    while (current.blockedBy && !seen.has(current.blockedBy)) {
      seen.add(current.blockedBy);
      const next = helm(current.blockedBy);
      if (!next || next.ready) break;
      current = next;
    }
    return current;
  };
  const firstNotReady = ordered.find(c => !c.ready);
  const firstBlocked = firstNotReady ? rootOf(firstNotReady).name : undefined;

  const components: ComponentReadiness[] = ordered.map(c => {
    const before = previous.get(`${c.kind}/${c.name}`);
    const since =
      before && before.state === c.state && before.cause === c.cause
        ? before.since
        : input.now.toISOString();
    const { terminal: _terminal, ...rest } = c;
    return { ...rest, since };
  });
  const readiness: SovereignReadiness = {
    components,
    ...(firstBlocked ? { firstBlocked } : {}),
    observedAt: input.now.toISOString(),
  };

  const terminalFailures = new Set(
    ordered.filter(c => c.state === 'failed' && c.terminal).map(c => c.name),
  );
  return {
    readiness,
    verdict: decide(ordered, terminalFailures, input, firstBlocked),
    terminalFailures,
  };
}

function decide(
  ordered: Array<Omit<ComponentReadiness, 'since'> & { terminal: boolean }>,
  terminalFailures: Set<string>,
  input: ReadinessInput,
  firstBlocked: string | undefined,
): Verdict {
  const notReady = ordered.filter(c => !c.ready);
  const readyCount = ordered.length - notReady.length;
  if (ordered.length > 0 && notReady.length === 0) {
    return {
      phase: 'ready',
      reason: 'PlatformReady',
      message: `All ${ordered.length} platform components are ready`,
    };
  }
  // Stuck: every component that is not ready has failed for good or waits (transitively) on one that has.
  const waitsOnFailure = (c: (typeof ordered)[number]): boolean => {
    const seen = new Set<string>();
    let current: (typeof ordered)[number] | undefined = c;
    while (current && !seen.has(current.name)) {
      if (terminalFailures.has(current.name)) return true;
      seen.add(current.name);
      const next: string | undefined = current.blockedBy;
      current = next
        ? ordered.find(o => o.kind === 'HelmRelease' && o.name === next)
        : undefined;
    }
    return false;
  };
  const stuck =
    terminalFailures.size > 0 && notReady.every(c => waitsOnFailure(c));
  if (!stuck && !input.timedOut) return { phase: 'bootstrapping' };

  const root = ordered.find(c => c.name === firstBlocked);
  const cause = root?.cause ?? (input.timedOut ? 'TimedOut' : 'Unknown');
  const summary = `${readyCount} of ${
    ordered.length
  } platform components ready; ${
    root
      ? `blocked at ${root.name} (${cause}${
          root.message ? `: ${root.message}` : ''
        })`
      : 'none seen'
  }`.slice(0, 3900);
  return {
    phase: readyCount > 0 ? 'degraded' : 'failed',
    reason: input.timedOut ? 'TimedOut' : cause,
    message: input.timedOut
      ? `The platform was not ready before the deadline: ${summary}`
      : `The platform cannot become ready: ${summary}`,
  };
}

/** Components in dependency order (dependencies first), stable by name otherwise; Kustomizations first. */
function topologicalOrder<
  T extends { name: string; kind: string; dependsOn: string[] },
>(items: T[]): T[] {
  const kindOrder = (kind: string) => (kind === 'Kustomization' ? 0 : 1);
  const sorted = [...items].sort(
    (a, b) =>
      kindOrder(a.kind) - kindOrder(b.kind) || a.name.localeCompare(b.name),
  );
  const byName = new Map(
    sorted.filter(i => i.kind === 'HelmRelease').map(i => [i.name, i]),
  );
  const out: T[] = [];
  const placed = new Set<T>();
  const visiting = new Set<T>();
  const visit = (item: T) => {
    if (placed.has(item) || visiting.has(item)) return;
    visiting.add(item);
    for (const dep of item.dependsOn) {
      const d = byName.get(dep);
      if (d) visit(d);
    }
    visiting.delete(item);
    placed.add(item);
    out.push(item);
  };
  sorted.forEach(visit);
  return out;
}
