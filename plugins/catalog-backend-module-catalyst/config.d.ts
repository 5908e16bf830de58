import { HumanDuration } from '@backstage/types';

/**
 * The shape of Backstage's SchedulerServiceTaskScheduleDefinitionConfig (read with
 * readSchedulerServiceTaskScheduleDefinitionFromConfig). Written out here because the development runner compiles
 * every config.d.ts with TypeScript at start: importing the type from @backstage/backend-plugin-api pulled that
 * package's whole type tree (about 290 declaration files instead of 65) into the compilation.
 */
interface ScheduleConfig {
  /** How often the task runs: a cron expression (`{ cron: '0 * * * *' }`), an ISO duration or a HumanDuration. */
  frequency: { cron: string } | string | HumanDuration | { trigger: 'manual' };
  /** How long one run may take before it counts as timed out and another run may start. */
  timeout: string | HumanDuration;
  /** How long after start-up the first run waits. */
  initialDelay?: string | HumanDuration;
  /** `global` (default): one replica at a time; `local`: every replica on its own cadence. */
  scope?: 'global' | 'local';
}

export interface Config {
  catalog?: {
    providers?: {
      /** Catalyst entity providers (catalyst-blueprints, catalyst-sovereigns, catalyst-vouchers). */
      catalyst?: {
        /**
         * How often the Sovereign and Voucher providers resync in full from catalyst-backend. Changes arrive
         * as events within seconds; the resync only repairs missed events.
         * @default { frequency: { minutes: 5 }, timeout: { minutes: 2 } }
         */
        schedule?: ScheduleConfig;
        blueprints?: {
          /**
           * Owner of the Blueprint entities and of the family Systems.
           * @default group:default/openova
           */
          owner?: string;
        };
      };
    };
  };
}
