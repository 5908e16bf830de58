import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
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
 * dedicated decommission template, never as a side effect of a failed provisioning run. It runs from the request
 * the registry kept (catalyst:sovereign:phase outputs it) and the task's hetznerToken secret.
 *
 * Destroying is idempotent, and a Sovereign whose apply never ran (no state, or an empty one) is a no-op: a failed
 * provisioning can always be decommissioned. Such a Sovereign may also have no GitOps location recorded, so the
 * repository defaults to the configured `scaffolder.catalyst.gitops.repoUrl` (the module needs a value, destroy ignores it).
 */
export function createTofuDestroyAction(options: {
  config: Config;
  logger?: LoggerService;
}) {
  const settings = readTofuSettings(options.config);
  const defaultGitopsRepoUrl = options.config.getOptionalString(
    'scaffolder.catalyst.gitops.repoUrl',
  );

  return createTemplateAction({
    id: 'catalyst:tofu:destroy',
    description:
      'Destroys the machines, network and load balancer of a Sovereign with OpenTofu; nothing to destroy is a no-op',
    examples,
    schema: {
      input: {
        ...sovereignTofuInputSchema,
        gitopsRepoUrl: zod =>
          zod
            .string()
            .optional()
            .describe(
              'Git repository Flux on the Sovereign watched (default: scaffolder.catalyst.gitops.repoUrl)',
            ),
      },
      output: {
        destroyed: z => z.number().describe('Resources destroyed by this run'),
      },
    },
    async handler(ctx) {
      const gitopsRepoUrl = ctx.input.gitopsRepoUrl || defaultGitopsRepoUrl;
      if (!gitopsRepoUrl) {
        throw new InputError(
          'Invalid input gitopsRepoUrl: it is required when scaffolder.catalyst.gitops.repoUrl is not configured',
        );
      }
      const run = parseSovereignTofuInput(
        { ...ctx.input, gitopsRepoUrl },
        ctx.secrets,
        ctx.task.id,
      );
      const tofu = await TofuRun.stageAndInit({
        settings,
        ...run,
        logger: ctx.logger,
        signal: ctx.signal,
      });
      const managed = await tofu.managedResourceCount();
      if (managed === 0) {
        ctx.logger.info(
          `The state of ${run.fqdn} holds no resources (its apply never ran, or they are already destroyed): nothing to destroy`,
        );
        ctx.output('destroyed', 0);
        return;
      }
      ctx.logger.info(`The state of ${run.fqdn} holds ${managed} resources`);
      const summary = await tofu.destroy();
      ctx.logger.info(`Destroy finished: ${summary.destroyed} destroyed`);
      ctx.output('destroyed', summary.destroyed);
    },
  });
}
