import { LoggerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import { SovereignRecord } from '@catalyst/plugin-catalyst-common';
import { SovereignChangePublisher } from '../sovereigns/SovereignChangePublisher';
import { SovereignStore } from '../sovereigns/SovereignStore';
import { DelegationSource } from './PdmDelegationClient';

/** `catalyst.delegation` (docs/pdm.md §7 byo-manual): how often to look, and how long a Sovereign may wait. */
export interface DelegationWatcherSettings {
  pollInterval: HumanDuration;
  timeout: HumanDuration;
}

export const DEFAULT_DELEGATION_POLL_INTERVAL: HumanDuration = { seconds: 60 };
/** Matches the "up to 48 hours" the wizard and the task output promise. */
export const DEFAULT_DELEGATION_TIMEOUT: HumanDuration = { hours: 48 };

export function readDelegationWatcherSettings(
  config: Config,
): DelegationWatcherSettings {
  const read = (key: string, fallback: HumanDuration): HumanDuration => {
    const fullKey = `catalyst.delegation.${key}`;
    if (!config.has(fullKey)) return fallback;
    const duration = readDurationFromConfig(config, { key: fullKey });
    if (!(durationToMilliseconds(duration) > 0)) {
      throw new InputError(`${fullKey} must be a positive duration`);
    }
    return duration;
  };
  return {
    pollInterval: read('pollInterval', DEFAULT_DELEGATION_POLL_INTERVAL),
    timeout: read('timeout', DEFAULT_DELEGATION_TIMEOUT),
  };
}

/** 172800000 → "48 hours", 90000 → "90 seconds": the largest whole unit, for event messages. */
function describeDuration(ms: number): string {
  const units: [number, string][] = [
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}

export type DelegationOutcome = {
  name: string;
  outcome: 'ready' | 'timed-out' | 'waiting' | 'check-failed' | 'moved-on';
};

/**
 * byo-manual: the customer sets the NS records by hand, so nothing in the provisioning task can wait for it.
 * Each run looks at every `dns-pending` Sovereign of that mode, asks PDM what the parent zone delegates to, and
 * moves it to `ready` once the delegation is seen, or to `failed` (reason `delegation-timeout`) when it has
 * waited longer than the timeout since it entered `dns-pending`. Phase changes are conditional on the Sovereign
 * still being `dns-pending`, so a decommission started meanwhile is never overridden.
 */
export class DelegationWatcher {
  private readonly timeoutMs: number;

  constructor(
    private readonly options: {
      store: SovereignStore;
      publisher: SovereignChangePublisher;
      delegation: DelegationSource;
      logger: LoggerService;
      timeout: HumanDuration;
      now?: () => Date;
      /**
       * Where a delegated Sovereign goes: `ready`, or `bootstrapping` when the platform watcher (docs/phase1.md)
       * decides readiness from the cluster's Flux objects. Default `ready`.
       */
      delegatedPhase?: 'ready' | 'bootstrapping';
    },
  ) {
    this.timeoutMs = durationToMilliseconds(options.timeout);
  }

  async runOnce(signal?: AbortSignal): Promise<DelegationOutcome[]> {
    const pending = (
      await this.options.store.listInPhase('dns-pending')
    ).filter(record => record.domain.mode === 'byo-manual');
    const outcomes: DelegationOutcome[] = [];
    for (const record of pending) {
      if (signal?.aborted) break;
      outcomes.push({
        name: record.name,
        outcome: await this.watch(record, signal),
      });
    }
    return outcomes;
  }

  private async watch(
    record: SovereignRecord,
    signal?: AbortSignal,
  ): Promise<DelegationOutcome['outcome']> {
    const { delegation, logger } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    const since = new Date(record.phaseChangedAt ?? record.updatedAt);
    const timedOut = now.getTime() - since.getTime() >= this.timeoutMs;

    let checkError: string | undefined;
    try {
      const report = await delegation.check(record.fqdn, signal);
      if (report.delegated) {
        const moved = await this.move(record, {
          phase: this.options.delegatedPhase ?? 'ready',
          message: `Delegation of ${record.fqdn} to ${report.observed.join(
            ', ',
          )} seen`,
        });
        return moved ? 'ready' : 'moved-on';
      }
      logger.debug(
        `${record.fqdn} is not delegated yet (expected ${report.expected.join(
          ', ',
        )}, seen ${report.observed.join(', ') || 'none'}${
          report.error ? `; ${report.error}` : ''
        })`,
      );
    } catch (error) {
      checkError = (error as Error).message;
      logger.warn(
        `Could not check the delegation of ${record.fqdn}: ${checkError}`,
      );
    }

    if (!timedOut) return checkError ? 'check-failed' : 'waiting';
    const moved = await this.move(record, {
      phase: 'failed',
      reason: 'delegation-timeout',
      message: `The NS delegation of ${
        record.fqdn
      } was not seen within ${describeDuration(
        this.timeoutMs,
      )} of waiting (since ${since.toISOString()})${
        checkError ? `; the last check failed: ${checkError}` : ''
      }`,
    });
    return moved ? 'timed-out' : 'moved-on';
  }

  private async move(
    record: SovereignRecord,
    change: {
      phase: 'ready' | 'bootstrapping' | 'failed';
      reason?: string;
      message: string;
    },
  ): Promise<boolean> {
    const result = await this.options.store.setPhaseFrom(
      record.name,
      'dns-pending',
      change,
    );
    if (!result) return false;
    this.options.logger.info(`Sovereign ${record.fqdn}: ${change.message}`);
    await this.options.publisher.publish('upsert', result.record);
    return true;
  }
}
