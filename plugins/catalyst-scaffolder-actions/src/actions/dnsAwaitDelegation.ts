import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { examples } from './dnsAwaitDelegation.examples';

/**
 * catalyst:dns:await-delegation — byo-manual: the customer changes the NS records by hand. The task does not
 * block for up to 48 hours; it records the Sovereign as `dns-pending` and the catalyst-backend delegation
 * watcher polls the parent's nameservers and moves it to `ready` (or `failed`, delegation-timeout).
 */
export function createDnsAwaitDelegationAction(options: {
  registry: SovereignRegistryClient;
}) {
  return createTemplateAction({
    id: 'catalyst:dns:await-delegation',
    description:
      'Records that a BYO domain waits for its NS delegation; the backend watcher completes it',
    examples,
    schema: {
      input: {
        entityName: z => z.string().describe('The Sovereign entity name'),
        fqdn: z => z.string().describe('The BYO domain'),
        nameservers: z =>
          z
            .array(z.string())
            .min(1)
            .describe('The nameservers the customer must set'),
      },
      output: {
        phase: z => z.string().describe('The recorded phase (dns-pending)'),
      },
    },
    async handler(ctx) {
      const { entityName, fqdn, nameservers } = ctx.input;
      const message = `Set the NS records of ${fqdn} at your registrar to ${nameservers.join(
        ', ',
      )}. Catalyst checks the delegation every minute for up to 48 hours.`;
      await ctx.checkpoint({
        key: `dns.await-delegation.${fqdn}`,
        fn: async () => {
          await options.registry.setPhase(
            entityName,
            { phase: 'dns-pending', reason: 'awaiting-delegation', message },
            { signal: ctx.signal },
          );
        },
      });
      ctx.logger.info(message);
      ctx.output('phase', 'dns-pending');
    },
  });
}
