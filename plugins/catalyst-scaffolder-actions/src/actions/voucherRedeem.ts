import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  BlueprintDefinition,
  buildBlueprints,
  CatalystData,
  organizationSlugProblem,
  tenantNamespace,
  SovereignRecord,
} from '@catalyst/plugin-catalyst-common';
import path from 'node:path';
import type { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import type {
  VoucherClient,
  VoucherRedemption,
} from '../clients/VoucherClient';
import type { GitOpsRepository } from '../gitops/GitOpsRepository';
import {
  OrganizationApp,
  OrganizationOverlay,
  organizationSubpath,
} from './organizationOverlay';
import { examples } from './voucherRedeem.examples';

const SOVEREIGN_REF =
  /^(?:sovereign:)?(?:default\/)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;

/** `sovereign:default/x`, `default/x` or `x` → `x`. */
export function sovereignNameOf(value: string, field = 'sovereign'): string {
  const match = SOVEREIGN_REF.exec(value.trim());
  if (!match) {
    throw new InputError(
      `${field}: "${value}" is not a Sovereign entity ref (sovereign:default/<name>) or name`,
    );
  }
  return match[1];
}

const BLUEPRINT_REF = /^(?:blueprint:)?(?:[a-z0-9-]+\/)?(bp-[a-z][a-z0-9-]*)$/i;

/**
 * The first App must be a Blueprint the Sovereign runs (its registry record lists `bp-<name>@<version>`), and one
 * an Organization installs for itself: platform releases every Sovereign always has are not tenant apps.
 */
export function resolveFirstApp(
  value: string,
  record: Pick<SovereignRecord, 'name' | 'blueprints'>,
  blueprints: BlueprintDefinition[],
): OrganizationApp {
  const match = BLUEPRINT_REF.exec(value.trim());
  if (!match) {
    throw new InputError(
      `firstApp: "${value}" is not a Blueprint entity ref (blueprint:default/bp-<name>) or name`,
    );
  }
  const name = match[1].toLowerCase();
  const blueprint = blueprints.find(b => b.name === name);
  if (!blueprint) {
    throw new InputError(`firstApp: there is no Blueprint ${name}`);
  }
  if (!blueprint.installable || blueprint.version === null) {
    throw new InputError(
      `firstApp: ${name} has no published chart and cannot be installed`,
    );
  }
  if (blueprint.alwaysIncluded) {
    throw new InputError(
      `firstApp: ${name} is part of every Sovereign's platform, not an App an Organization installs`,
    );
  }
  const installed = new Map(
    record.blueprints.map(entry => {
      const [installedName, version] = entry.split('@');
      return [installedName, version] as const;
    }),
  );
  if (!installed.has(name)) {
    const offered = blueprints
      .filter(b => installed.has(b.name) && b.installable && !b.alwaysIncluded)
      .map(b => b.name);
    throw new InputError(
      `firstApp: ${name} is not installed on Sovereign ${record.name}; ${
        offered.length
          ? `it offers ${offered.slice(0, 20).join(', ')}`
          : 'it offers no Apps yet, so leave the first App empty'
      }`,
    );
  }
  return { blueprint, version: installed.get(name) || blueprint.version };
}

/**
 * catalyst:voucher:redeem — one step, because a scaffolder step cannot run after another one failed:
 *
 * 1. check everything that can be checked before money moves (slug, Sovereign, first App, rendered objects);
 * 2. redeem the code as the user running the template; the backend creates the Organization (and, through the
 *    catalog provider, its Group) in the same transaction;
 * 3. commit `clusters/<fqdn>/tenants/<slug>/` (Namespace + first App) to the GitOps branch, touching nothing else;
 * 4. if that commit fails, roll the redemption back (credit, count and Organization) and fail with a message
 *    saying so: no credit is lost and the code can be used again.
 *
 * The voucher code is a template parameter (the redeem page pre-fills it); it is never logged or put in an error.
 */
export function createVoucherRedeemAction(options: {
  vouchers: VoucherClient;
  registry: SovereignRegistryClient;
  repository: () => GitOpsRepository;
  data: () => CatalystData;
  /** Secret in each Organization's namespace used to pull its charts; undefined when the charts are public. */
  chartPullSecret?: string;
}) {
  return createTemplateAction({
    id: 'catalyst:voucher:redeem',
    description:
      'Redeems a voucher as the user running the template, creating their Organization and committing its first App',
    examples,
    schema: {
      input: {
        code: z =>
          z
            .string()
            .min(1)
            .max(128)
            .describe('The voucher code (never logged)'),
        sovereign: z =>
          z
            .string()
            .describe(
              'The Sovereign: entity ref (sovereign:default/<name>) or name',
            ),
        organizationName: z =>
          z
            .string()
            .trim()
            .min(1)
            .max(128)
            .describe('Organization display name'),
        organizationSlug: z =>
          z
            .string()
            .describe(
              'Organization slug: 3-32 lower-case letters, digits or hyphens; names its Group and namespace',
            ),
        firstApp: z =>
          z
            .string()
            .optional()
            .describe(
              'Blueprint of the first App (blueprint:default/bp-<name> or bp-<name>), one the Sovereign runs; empty for none',
            ),
      },
      output: {
        organizationRef: z =>
          z
            .string()
            .describe(
              'Entity ref of the Organization Group (group:<sovereign>/<slug>)',
            ),
        namespace: z => z.string().describe("The Organization's namespace"),
        redemptionId: z => z.string().describe('The redemption id'),
        credit: z =>
          z
            .object({ amount: z.number(), currency: z.string() })
            .describe('Credit granted to the Organization'),
        firstApp: z =>
          z.string().describe('bp-<name> of the first App, or empty'),
        commitSha: z =>
          z.string().describe('GitOps branch HEAD after the commit'),
        overlayUrl: z =>
          z.string().describe("Where the Organization's folder can be browsed"),
        path: z => z.string().describe('clusters/<fqdn>/tenants/<slug>'),
      },
    },
    async handler(ctx) {
      const { code, organizationName } = ctx.input;
      const slug = ctx.input.organizationSlug.trim();
      const slugProblem = organizationSlugProblem(slug);
      if (slugProblem) {
        throw new InputError(`organizationSlug: ${slugProblem}`);
      }
      const sovereignName = sovereignNameOf(ctx.input.sovereign);
      const record = await options.registry.get(sovereignName, {
        signal: ctx.signal,
      });
      if (!record) {
        throw new NotFoundError(
          `sovereign: Sovereign '${sovereignName}' is not in the registry`,
        );
      }
      // Only a ready Sovereign takes tenants (the voucher service refuses the redemption as well).
      if (record.phase !== 'ready') {
        throw new ConflictError(
          `Sovereign ${record.fqdn} is ${record.phase}: it accepts new Organizations only when ready`,
        );
      }
      const app = ctx.input.firstApp?.trim()
        ? resolveFirstApp(
            ctx.input.firstApp,
            record,
            buildBlueprints(options.data()),
          )
        : undefined;
      const overlay = new OrganizationOverlay({
        fqdn: record.fqdn,
        slug,
        name: organizationName,
        app,
        pullSecret: options.chartPullSecret,
      });
      // Rendered (and checked against the Flux schemas) before redeeming, so a refusal here costs nothing.
      overlay.render();
      const subpath = organizationSubpath(slug);
      const organizationRef = `group:${sovereignName}/${slug}`;
      const appName = app?.blueprint.name ?? '';
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would redeem a voucher for Organization ${slug} on ${
            record.fqdn
          }${appName ? ` with ${appName}` : ''}`,
        );
        ctx.output('organizationRef', organizationRef);
        ctx.output('namespace', tenantNamespace(slug));
        ctx.output('redemptionId', '');
        ctx.output('credit', { amount: 0, currency: 'EUR' });
        ctx.output('firstApp', appName);
        ctx.output('commitSha', '');
        ctx.output('overlayUrl', '');
        ctx.output('path', `clusters/${record.fqdn}/${subpath}`);
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      // Memoised per task, so a recovered task does not redeem twice (the second try would be 'already-redeemed').
      const redemption = (await ctx.checkpoint({
        key: `voucher-redeem-${sovereignName}-${slug}`,
        fn: async () =>
          (await options.vouchers.redeem(
            {
              code,
              sovereign: `sovereign:default/${sovereignName}`,
              organization: {
                name: organizationName,
                slug,
                // Recorded on the Organization, so its catalog page names the App it runs.
                ...(appName ? { firstApp: appName } : {}),
              },
            },
            credentials,
            ctx.signal,
          )) as unknown as Record<string, any>,
      })) as unknown as VoucherRedemption;
      ctx.logger.info(
        `Redeemed a voucher of ${redemption.credit.currency} ${redemption.credit.amount} for Organization ${organizationRef} (redemption ${redemption.id})`,
      );

      const repository = options.repository();
      let result;
      try {
        // A decommission may have started since the redemption: no tenant is committed into a removed overlay.
        const current = await options.registry.get(sovereignName, {
          signal: ctx.signal,
        });
        if (current?.phase !== 'ready') {
          throw new Error(
            `Sovereign ${record.fqdn} is ${
              current?.phase ?? 'gone'
            } and accepts no new Organizations`,
          );
        }
        const sourceDir = path.join(
          await ctx.createTemporaryDirectory(),
          'organization',
        );
        await overlay.write(sourceDir);
        result = await repository.writeOverlay({
          fqdn: record.fqdn,
          subpath,
          sourceDir,
          message: `Add Organization ${slug}${
            appName ? ` with ${appName}` : ''
          } to Sovereign ${record.fqdn} (task ${ctx.task.id})`,
          signal: ctx.signal,
        });
      } catch (e) {
        const reason = (e as Error).message;
        ctx.logger.error(
          `Committing Organization ${slug} failed, rolling back redemption ${redemption.id}: ${reason}`,
        );
        try {
          await options.vouchers.rollback(redemption.id);
        } catch (rollbackError) {
          throw new ServiceUnavailableError(
            `Could not commit Organization ${slug} to the GitOps repository (${reason}), and rolling back redemption ${
              redemption.id
            } failed too (${
              (rollbackError as Error).message
            }). Ask a platform administrator to roll back redemption ${
              redemption.id
            } so the credit is returned.`,
          );
        }
        throw new ServiceUnavailableError(
          `Could not commit Organization ${slug} to the GitOps repository (${reason}). The redemption was rolled back: no credit was lost, Organization ${slug} was not created, and the voucher code can be used again.`,
        );
      }
      ctx.logger.info(
        `Committed ${result.path} at ${result.commitSha}${
          appName ? ` (${appName} ${app!.version})` : ''
        }`,
      );
      ctx.output('organizationRef', organizationRef);
      ctx.output('namespace', tenantNamespace(slug));
      ctx.output('redemptionId', redemption.id);
      ctx.output('credit', redemption.credit);
      ctx.output('firstApp', appName);
      ctx.output('commitSha', result.commitSha);
      ctx.output('overlayUrl', repository.overlayUrl(result.path));
      ctx.output('path', result.path);
    },
  });
}
