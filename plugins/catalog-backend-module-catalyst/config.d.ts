import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

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
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
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
