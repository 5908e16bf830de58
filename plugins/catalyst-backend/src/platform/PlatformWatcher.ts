import { LoggerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import {
  SovereignReadiness,
  SovereignRecord,
} from '@catalyst/plugin-catalyst-common';
import type { CustomObjectsApi, Watch } from '@kubernetes/client-node';
import { SovereignChangePublisher } from '../sovereigns/SovereignChangePublisher';
import { SovereignStore } from '../sovereigns/SovereignStore';
import { PlatformStore } from './PlatformStore';
import { kubernetesClient } from './kubernetesClient';
import { FluxObject, evaluateReadiness } from './readiness';

/** `catalyst.platform`: the Phase 1 timings (docs/phase1.md §2). */
export interface PlatformWatcherSettings {
  /** How often the scheduler starts a watch run, and how often a run looks for newly bootstrapping Sovereigns. */
  pollInterval: HumanDuration;
  /** How long one watch run lasts before the next run relists (survives restarts and replica changes). */
  sessionLength: HumanDuration;
  /** How long a Sovereign may stay bootstrapping before whatever is not ready counts as timed out. */
  readyTimeout: HumanDuration;
  /** How long a minted handoff secret is valid; also how long a bootstrapping Sovereign waits for its kubeconfig. */
  handoffTtl: HumanDuration;
}

export const DEFAULT_PLATFORM_SETTINGS: PlatformWatcherSettings = {
  pollInterval: { seconds: 10 },
  sessionLength: { minutes: 1 },
  readyTimeout: { minutes: 30 },
  handoffTtl: { hours: 2 },
};

export function readPlatformWatcherSettings(
  config: Config,
): PlatformWatcherSettings {
  const read = (key: keyof PlatformWatcherSettings): HumanDuration => {
    const fullKey = `catalyst.platform.${key}`;
    if (!config.has(fullKey)) return DEFAULT_PLATFORM_SETTINGS[key];
    const duration = readDurationFromConfig(config, { key: fullKey });
    if (!(durationToMilliseconds(duration) > 0)) {
      throw new InputError(`${fullKey} must be a positive duration`);
    }
    return duration;
  };
  return {
    pollInterval: read('pollInterval'),
    sessionLength: read('sessionLength'),
    readyTimeout: read('readyTimeout'),
    handoffTtl: read('handoffTtl'),
  };
}

type Kind = {
  kind: FluxObject['kind'];
  group: string;
  version: string;
  plural: string;
};

export const FLUX_KINDS: Kind[] = [
  {
    kind: 'Kustomization',
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'kustomizations',
  },
  {
    kind: 'HelmRelease',
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    plural: 'helmreleases',
  },
];

/** What one session saw of the API, for logs and tests. */
export interface SessionStats {
  lists: number;
  watches: number;
  relists410: number;
  bookmarks: number;
  events: number;
  crdMissing: string[];
  errors: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

function apiStatusCode(e: unknown): number | undefined {
  const err = e as { code?: unknown; statusCode?: unknown };
  if (typeof err?.code === 'number') return err.code;
  if (typeof err?.statusCode === 'number') return err.statusCode;
  return undefined;
}

/**
 * One kind's list+watch on one cluster: lists, then watches from the list's resourceVersion with bookmarks,
 * reconnects from the last seen resourceVersion when the stream ends, and relists on 410 Gone.
 */
class KindStream {
  private resourceVersion: string | undefined;
  readonly objects = new Map<string, FluxObject>();
  crdMissing = false;

  constructor(
    private readonly watch: Watch,
    private readonly api: CustomObjectsApi,
    private readonly kind: Kind,
    private readonly stats: SessionStats,
    private readonly onChange: () => void,
    private readonly logger: LoggerService,
  ) {}

  private key(obj: FluxObject) {
    return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
  }

  private async list() {
    this.stats.lists += 1;
    const list = (await this.api.listClusterCustomObject({
      group: this.kind.group,
      version: this.kind.version,
      plural: this.kind.plural,
    })) as { metadata?: { resourceVersion?: string }; items?: FluxObject[] };
    this.objects.clear();
    for (const item of list.items ?? []) {
      this.objects.set(this.key(item), { ...item, kind: this.kind.kind });
    }
    this.resourceVersion = list.metadata?.resourceVersion;
    this.crdMissing = false;
    this.onChange();
  }

  async run(signal: AbortSignal) {
    let backoff = 250;
    while (!signal.aborted) {
      if (!this.resourceVersion) {
        try {
          await this.list();
          backoff = 250;
        } catch (e) {
          if (signal.aborted) return;
          if (apiStatusCode(e) === 404) {
            // The Flux CRD is not installed (yet): Flux itself is still coming up.
            if (!this.crdMissing) {
              this.crdMissing = true;
              this.stats.crdMissing.push(this.kind.plural);
              this.onChange();
            }
          } else {
            this.stats.errors += 1;
            this.logger.debug(
              `Listing ${this.kind.plural} failed: ${(e as Error).message}`,
            );
          }
          await sleep(backoff, signal);
          backoff = Math.min(backoff * 2, 5000);
          continue;
        }
      }
      await this.watchOnce(signal);
      if (!signal.aborted) {
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private async watchOnce(signal: AbortSignal) {
    this.stats.watches += 1;
    const path = `/apis/${this.kind.group}/${this.kind.version}/${this.kind.plural}`;
    await new Promise<void>(resolve => {
      let controller: AbortController | undefined;
      let settled = false;
      const listeners: { abort?: () => void } = {};
      const finish = () => {
        if (settled) return;
        settled = true;
        if (listeners.abort)
          signal.removeEventListener('abort', listeners.abort);
        resolve();
      };
      listeners.abort = () => {
        controller?.abort();
        finish();
      };
      signal.addEventListener('abort', listeners.abort);
      this.watch
        .watch(
          path,
          {
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
          },
          (type: string, obj: any) => {
            if (type === 'BOOKMARK') {
              this.stats.bookmarks += 1;
              this.resourceVersion =
                obj?.metadata?.resourceVersion ?? this.resourceVersion;
              return;
            }
            if (type === 'ERROR') {
              if (obj?.code === 410) {
                // The resourceVersion is too old: start over with a fresh list.
                this.stats.relists410 += 1;
                this.resourceVersion = undefined;
              }
              return;
            }
            const item = { ...(obj as FluxObject), kind: this.kind.kind };
            this.stats.events += 1;
            if (type === 'DELETED') this.objects.delete(this.key(item));
            else this.objects.set(this.key(item), item);
            this.resourceVersion =
              item.metadata?.resourceVersion ?? this.resourceVersion;
            this.onChange();
          },
          (err: unknown) => {
            if (err && apiStatusCode(err) === 410) {
              this.stats.relists410 += 1;
              this.resourceVersion = undefined;
            } else if (err && !signal.aborted) {
              this.stats.errors += 1;
            }
            finish();
          },
        )
        .then(
          c => {
            controller = c;
            if (signal.aborted) c.abort();
          },
          () => finish(),
        );
    });
  }
}

function expectedReleases(record: SovereignRecord): string[] {
  return record.blueprints.map(b => b.split('@')[0]).filter(Boolean);
}

function sameComponents(a?: SovereignReadiness, b?: SovereignReadiness) {
  return (
    JSON.stringify(a?.components) === JSON.stringify(b?.components) &&
    a?.firstBlocked === b?.firstBlocked
  );
}

/**
 * Phase 1's watcher (docs/phase1.md §2). Driven by the scheduler, one instance across the cluster: each run
 * watches every `bootstrapping` Sovereign whose cluster has handed its kubeconfig back, for up to
 * `sessionLength`, and moves it to `ready`, `degraded` or `failed`. All state is in the database (readiness,
 * phase, phase time), so a run after a restart relists and carries on where the last one stopped.
 */
export class PlatformWatcher {
  private readonly active = new Map<string, Promise<unknown>>();
  readonly lastStats = new Map<string, SessionStats>();

  constructor(
    private readonly options: {
      store: SovereignStore;
      platform: PlatformStore;
      publisher: SovereignChangePublisher;
      logger: LoggerService;
      settings: PlatformWatcherSettings;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /**
   * One scheduler run: watches until `sessionLength` has passed (or `signal` aborts). With `stopWhenIdle` it
   * returns as soon as no Sovereign is left to watch.
   */
  async runOnce(signal?: AbortSignal, options?: { stopWhenIdle?: boolean }) {
    const { settings } = this.options;
    const run = new AbortController();
    const stop = () => run.abort();
    signal?.addEventListener('abort', stop);
    const timer = setTimeout(
      stop,
      durationToMilliseconds(settings.sessionLength),
    );
    try {
      while (!run.signal.aborted) {
        const waiting = await this.startSessions(run.signal);
        if (options?.stopWhenIdle && waiting === 0 && this.active.size === 0) {
          break;
        }
        await sleep(durationToMilliseconds(settings.pollInterval), run.signal);
      }
      await Promise.all(this.active.values());
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
    }
  }

  /** Starts a session for every bootstrapping Sovereign not watched yet; answers how many are bootstrapping. */
  private async startSessions(signal: AbortSignal): Promise<number> {
    const { store, platform, logger } = this.options;
    const bootstrapping = await store.listInPhase('bootstrapping');
    for (const record of bootstrapping) {
      if (this.active.has(record.name)) continue;
      const kubeconfig = await platform.getKubeconfig(record.name);
      if (kubeconfig === undefined) {
        await this.checkHandoffTimeout(record);
        continue;
      }
      const session = this.watchSovereign(record, kubeconfig, signal)
        .catch(e =>
          logger.warn(
            `Watching the platform of ${record.fqdn} failed: ${
              (e as Error).message
            }`,
          ),
        )
        .finally(() => this.active.delete(record.name));
      this.active.set(record.name, session);
    }
    return bootstrapping.length;
  }

  private async checkHandoffTimeout(record: SovereignRecord) {
    const since = Date.parse(record.phaseChangedAt ?? record.updatedAt);
    const ttl = durationToMilliseconds(this.options.settings.handoffTtl);
    if (this.now().getTime() - since < ttl) return;
    await this.finish(record, {
      phase: 'failed',
      reason: 'KubeconfigNotReceived',
      message:
        'The cluster never handed its kubeconfig back, so its platform cannot be watched',
    });
  }

  private async finish(
    record: SovereignRecord,
    verdict: {
      phase: 'ready' | 'degraded' | 'failed';
      reason: string;
      message: string;
    },
  ) {
    const changed = await this.options.store.setPhaseFrom(
      record.name,
      'bootstrapping',
      verdict,
    );
    if (changed) {
      this.options.logger.info(
        `Sovereign ${record.fqdn} is ${verdict.phase}: ${verdict.message}`,
      );
      await this.options.publisher.publish('upsert', changed.record);
    }
  }

  /** Watches one Sovereign's cluster until it is decided or the run ends. */
  async watchSovereign(
    record: SovereignRecord,
    kubeconfig: string,
    runSignal: AbortSignal,
  ): Promise<SessionStats> {
    const { platform, store, logger, settings } = this.options;
    const { CustomObjectsApi, KubeConfig, Watch } = kubernetesClient();
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig);
    const api = kc.makeApiClient(CustomObjectsApi);
    const stats: SessionStats = {
      lists: 0,
      watches: 0,
      relists410: 0,
      bookmarks: 0,
      events: 0,
      crdMissing: [],
      errors: 0,
    };
    this.lastStats.set(record.name, stats);
    const session = new AbortController();
    const stop = () => session.abort();
    runSignal.addEventListener('abort', stop);

    const deadline =
      Date.parse(record.phaseChangedAt ?? record.updatedAt) +
      durationToMilliseconds(settings.readyTimeout);
    let previous = await platform.getReadiness(record.name);
    let dirty = true;
    const streams = FLUX_KINDS.map(
      kind =>
        new KindStream(
          new Watch(kc),
          api,
          kind,
          stats,
          () => (dirty = true),
          logger,
        ),
    );

    const evaluate = async () => {
      dirty = false;
      const objects = streams.flatMap(s => [...s.objects.values()]);
      const timedOut = this.now().getTime() >= deadline;
      const { readiness, verdict } = evaluateReadiness({
        expected: expectedReleases(record),
        objects,
        previous,
        now: this.now(),
        timedOut,
      });
      if (!sameComponents(previous, readiness)) {
        await platform.setReadiness(record.name, readiness);
        await this.recordTransitions(record.name, previous, readiness);
        previous = readiness;
      }
      if (verdict.phase !== 'bootstrapping') {
        await this.finish(record, verdict);
        session.abort();
      }
    };

    const running = streams.map(s => s.run(session.signal));
    try {
      for (let tick = 0; !session.signal.aborted; tick++) {
        if (dirty || this.now().getTime() >= deadline) await evaluate();
        // Someone else may have moved the Sovereign on (decommissioned, failed by its task).
        if (tick % 10 === 0) {
          const current = await store.get(record.name);
          if (current?.phase !== 'bootstrapping') break;
        }
        await sleep(200, session.signal);
      }
    } finally {
      session.abort();
      runSignal.removeEventListener('abort', stop);
      await Promise.all(running);
    }
    return stats;
  }

  /** One event per component that became ready or failed (the timeline's view of Phase 1). */
  private async recordTransitions(
    name: string,
    before: SovereignReadiness | undefined,
    after: SovereignReadiness,
  ) {
    const old = new Map(
      (before?.components ?? []).map(c => [`${c.kind}/${c.name}`, c]),
    );
    for (const c of after.components) {
      const prev = old.get(`${c.kind}/${c.name}`);
      if (prev?.state === c.state && prev?.cause === c.cause) continue;
      if (c.state === 'ready') {
        await this.options.store.appendEvent(name, {
          level: 'info',
          phase: 'bootstrapping',
          message: `${c.kind} ${c.name} is ready`,
        });
      } else if (c.state === 'failed') {
        await this.options.store.appendEvent(name, {
          level: 'warn',
          phase: 'bootstrapping',
          message: `${c.kind} ${c.name} is not ready: ${c.cause}${
            c.message ? ` (${c.message})` : ''
          }`.slice(0, 4000),
        });
      }
    }
  }
}
