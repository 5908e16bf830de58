import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  parseSovereignTofuInput,
  sovereignTofuInputSchema,
} from '../tofu/sovereignTofuInput';
import { TofuRun } from '../tofu/TofuRun';
import { readTofuSettings } from '../tofu/TofuSettings';
import { examples } from './tofuPlan.examples';

/** catalyst:tofu:plan — stages the module for the Sovereign and shows what an apply would change. */
export function createTofuPlanAction(options: {
  config: Config;
  logger?: LoggerService;
}) {
  const settings = readTofuSettings(options.config);

  return createTemplateAction({
    id: 'catalyst:tofu:plan',
    description:
      'Previews the OpenTofu changes for a Sovereign: stages the module, writes the variables, runs init and plan',
    examples,
    schema: {
      input: sovereignTofuInputSchema,
      output: {
        toAdd: z => z.number().describe('Resources the apply would create'),
        toChange: z =>
          z.number().describe('Resources the apply would update in place'),
        toDestroy: z =>
          z.number().describe('Resources the apply would destroy'),
      },
    },
    async handler(ctx) {
      const run = parseSovereignTofuInput(ctx.input, ctx.secrets, ctx.task.id);
      const tofu = await TofuRun.stageAndInit({
        settings,
        ...run,
        logger: ctx.logger,
        signal: ctx.signal,
      });
      const summary = await tofu.plan();
      ctx.output('toAdd', summary.toAdd);
      ctx.output('toChange', summary.toChange);
      ctx.output('toDestroy', summary.toDestroy);
    },
  });
}
