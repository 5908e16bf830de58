import { DiscoveryService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { sovereignEntityName } from '@catalyst/plugin-catalyst-common';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  hashRunInputs,
  parseSovereignTofuInput,
  sovereignTofuInputSchema,
} from '../tofu/sovereignTofuInput';
import type { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { TofuRun } from '../tofu/TofuRun';
import { readTofuSettings } from '../tofu/TofuSettings';
import { examples } from './tofuApply.examples';
import type { PoolAllocationClient } from '../clients/PoolAllocationClient';

function withoutHandoffSecret(
  secrets: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!secrets) return secrets;
  const { kubeconfigBearerToken: _ignored, ...rest } = secrets;
  return rest;
}

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
  /** Mints the kubeconfig handoff secret when the template switches the handoff on. */
  registry?: SovereignRegistryClient;
  /** Finds Catalyst's external URL when `scaffolder.catalyst.handoffBaseUrl` is not set. */
  discovery?: DiscoveryService;
  /**
   * PDM, for the Sovereign zone's DNS-01 key: its secret goes to the run as TF_VAR_dns01_tsig_secret (cloud-init
   * makes it the Secret cert-manager's issuers use) and nowhere else.
   */
  pdm?: PoolAllocationClient;
}) {
  const settings = readTofuSettings(options.config);
  // The origin a new cluster PUTs its kubeconfig back to: reachable from the cluster, not just from the portal.
  const handoffBaseUrl = async (): Promise<string> => {
    const configured = options.config.getOptionalString(
      'scaffolder.catalyst.handoffBaseUrl',
    );
    if (configured) return configured.replace(/\/$/, '');
    const external = await options.discovery?.getExternalBaseUrl('catalyst');
    return external ? external.replace(/\/api\/catalyst\/?$/, '') : '';
  };
  options.logger?.info(
    `catalyst:tofu:apply uses ${settings.binary} with ${settings.modulePath} (state: ${settings.stateBackend})`,
  );

  return createTemplateAction({
    id: 'catalyst:tofu:apply',
    description:
      'Provisions a Sovereign with OpenTofu: stages the module, writes the variables, runs init, apply and output',
    examples,
    schema: {
      input: {
        ...sovereignTofuInputSchema,
        kubeconfigHandoff: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Mint a single-use secret and let the first control plane PUT its kubeconfig back (docs/phase1.md)',
            ),
      },
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
      const { kubeconfigHandoff, ...tofuInput } = ctx.input;
      const handoff = kubeconfigHandoff === true;
      if (handoff && !options.registry) {
        throw new InputError(
          'kubeconfigHandoff needs the Sovereign registry, which this action was created without',
        );
      }
      const catalystApiUrl = handoff
        ? tofuInput.catalystApiUrl || (await handoffBaseUrl())
        : tofuInput.catalystApiUrl;
      if (handoff && !catalystApiUrl) {
        throw new InputError(
          'kubeconfigHandoff needs scaffolder.catalyst.handoffBaseUrl or the catalystApiUrl input',
        );
      }
      const run = parseSovereignTofuInput(
        { ...tofuInput, catalystApiUrl },
        // The handoff secret is minted by this action; a caller cannot smuggle one in.
        withoutHandoffSecret(ctx.secrets),
        ctx.task.id,
      );
      const key = `tofu-apply-${run.fqdn}-${hashRunInputs({
        variables: run.variables,
        binary: settings.binary,
        modulePath: settings.modulePath,
        stateBackend: settings.stateBackend,
      })}`;

      const outputs = (await ctx.checkpoint({
        key,
        fn: async () => {
          const secretEnv = { ...run.secretEnv };
          if (handoff) {
            // Minted inside the checkpoint: a recovered task with recorded outputs mints nothing.
            const minted = await options.registry!.mintHandoffSecret(
              sovereignEntityName(run.fqdn),
              { signal: ctx.signal },
            );
            if (minted) {
              secretEnv.TF_VAR_kubeconfig_bearer_token = minted.secret;
              ctx.logger.info(
                `The first control plane hands its kubeconfig back to ${run.variables.catalyst_api_url} with a single-use secret (valid until ${minted.expiresAt})`,
              );
            } else {
              ctx.logger.info(
                'The cluster has already handed its kubeconfig back; no new secret is minted',
              );
            }
          }
          if (options.pdm) {
            // Read at the last moment and kept in this closure: never a step output, a log line or the checkpoint.
            const dns01 = await options.pdm.dns01Key(run.fqdn, {
              signal: ctx.signal,
            });
            secretEnv.TF_VAR_dns01_tsig_secret = dns01.secret;
            ctx.logger.info(
              `DNS-01 key ${dns01.keyName} goes to the cluster as the Secret cert-manager/catalyst-dns01-tsig`,
            );
          }
          const tofu = await TofuRun.stageAndInit({
            settings,
            ...run,
            secretEnv,
            logger: ctx.logger,
            signal: ctx.signal,
          });
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
