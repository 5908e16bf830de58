import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  parseSovereignTofuInput,
  sovereignTofuInputSchema,
} from '../tofu/sovereignTofuInput';
import { TofuRun } from '../tofu/TofuRun';
import { readTofuSettings } from '../tofu/TofuSettings';
import { examples } from './tofuDestroy.examples';

/**
 * catalyst:tofu:destroy — destroys every resource of the Sovereign recorded in its state. Only run by the
 * dedicated destroy template, never as a side effect of a failed provisioning run. Destroying is idempotent, so
 * a retried task simply finds nothing left to destroy.
 */
export function createTofuDestroyAction(options: {
  config: Config;
  logger?: LoggerService;
}) {
  const settings = readTofuSettings(options.config);

  return createTemplateAction({
    id: 'catalyst:tofu:destroy',
    description:
      'Destroys the machines, network and load balancer of a Sovereign with OpenTofu',
    examples,
    schema: {
      input: sovereignTofuInputSchema,
      output: {
        destroyed: z => z.number().describe('Resources destroyed by this run'),
      },
    },
    async handler(ctx) {
      const run = parseSovereignTofuInput(ctx.input, ctx.secrets, ctx.task.id);
      const tofu = await TofuRun.stage({
        settings,
        ...run,
        logger: ctx.logger,
        signal: ctx.signal,
      });
      await tofu.init();
      const summary = await tofu.destroy();
      ctx.logger.info(`Destroy finished: ${summary.destroyed} destroyed`);
      ctx.output('destroyed', summary.destroyed);
    },
  });
}
