import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  hashRunInputs,
  parseSovereignTofuInput,
  sovereignTofuInputSchema,
} from '../tofu/sovereignTofuInput';
import { TofuRun } from '../tofu/TofuRun';
import { readTofuSettings } from '../tofu/TofuSettings';
import { examples } from './tofuApply.examples';
import type { PoolAllocationClient } from '../clients/PoolAllocationClient';

function stringOutput(
  outputs: Record<string, JsonValue>,
  name: string,
): string {
  const value = outputs[name];
  return typeof value === 'string' ? value : '';
}

/**
 * catalyst:tofu:apply — stages the configured module for the Sovereign, then init, apply and output.
 * The apply runs inside a checkpoint keyed by the FQDN and a hash of the inputs, so a recovered task returns the
 * recorded outputs instead of applying twice.
 */
export function createTofuApplyAction(options: {
  config: Config;
  logger?: LoggerService;
  /**
   * PDM, for the Sovereign zone's DNS-01 key: its secret goes to the run as TF_VAR_dns01_tsig_secret (cloud-init
   * makes it the Secret cert-manager's issuers use) and nowhere else.
   */
  pdm?: PoolAllocationClient;
}) {
  const settings = readTofuSettings(options.config);
  options.logger?.info(
    `catalyst:tofu:apply uses ${settings.binary} with ${settings.modulePath} (state: ${settings.stateBackend})`,
  );

  return createTemplateAction({
    id: 'catalyst:tofu:apply',
    description:
      'Provisions a Sovereign with OpenTofu: stages the module, writes the variables, runs init, apply and output',
    examples,
    schema: {
      input: sovereignTofuInputSchema,
      output: {
        controlPlaneIp: z =>
          z.string().describe('Public IPv4 of the first control plane'),
        loadBalancerIp: z =>
          z
            .string()
            .describe(
              'Public IPv4 of the load balancer (target of the A records)',
            ),
        consoleUrl: z => z.string().describe('https://console.<fqdn>'),
        gitopsRepoUrl: z =>
          z.string().describe('Repository and folder Flux reconciles'),
        outputs: z =>
          z.record(z.any()).describe('Every non-sensitive module output'),
      },
    },
    async handler(ctx) {
      const run = parseSovereignTofuInput(ctx.input, ctx.secrets, ctx.task.id);
      const key = `tofu-apply-${run.fqdn}-${hashRunInputs({
        variables: run.variables,
        binary: settings.binary,
        modulePath: settings.modulePath,
        stateBackend: settings.stateBackend,
      })}`;

      const outputs = (await ctx.checkpoint({
        key,
        fn: async () => {
          if (options.pdm) {
            // Read at the last moment and kept in this closure: never a step output, a log line or the checkpoint.
            const dns01 = await options.pdm.dns01Key(run.fqdn, ctx.signal);
            run.secretEnv.TF_VAR_dns01_tsig_secret = dns01.secret;
            ctx.logger.info(
              `DNS-01 key ${dns01.keyName} goes to the cluster as the Secret cert-manager/catalyst-dns01-tsig`,
            );
          }
          const tofu = await TofuRun.stage({
            settings,
            ...run,
            logger: ctx.logger,
            signal: ctx.signal,
          });
          await tofu.init();
          const summary = await tofu.apply();
          ctx.logger.info(
            `Apply finished: ${summary.added} added, ${summary.changed} changed, ${summary.destroyed} destroyed`,
          );
          return (await tofu.outputs()) as JsonObject;
        },
      })) as Record<string, JsonValue>;

      ctx.output('controlPlaneIp', stringOutput(outputs, 'control_plane_ip'));
      ctx.output('loadBalancerIp', stringOutput(outputs, 'load_balancer_ip'));
      ctx.output('consoleUrl', stringOutput(outputs, 'console_url'));
      ctx.output('gitopsRepoUrl', stringOutput(outputs, 'gitops_repo_url'));
      ctx.output('outputs', outputs);
    },
  });
}
