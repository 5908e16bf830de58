import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonValue } from '@backstage/types';
import type { IssuedVoucher, VoucherClient } from '../clients/VoucherClient';
import { examples } from './voucherIssue.examples';

const SOVEREIGN_REF =
  /^(?:sovereign:)?(?:default\/)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

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

/**
 * The date picker gives a calendar day: the voucher then stays valid through the end of that day (UTC). A full
 * ISO date-time is passed on as it is; an empty value means no expiry.
 */
export function expiryOf(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const iso = DATE_ONLY.test(trimmed) ? `${trimmed}T23:59:59.999Z` : trimmed;
  if (Number.isNaN(Date.parse(iso))) {
    throw new InputError(
      `expiresAt: "${value}" is not a date (YYYY-MM-DD) or an ISO-8601 date-time`,
    );
  }
  return new Date(iso).toISOString();
}

function formatAmount(amount: number, currency: string): string {
  return `${currency} ${amount}`;
}

/** The codes as a Markdown list, for the template's output text: the one place a person sees them. */
export function codesMarkdown(vouchers: IssuedVoucher[]): string {
  return vouchers.map(v => `- \`${v.code}\``).join('\n');
}

/**
 * catalyst:voucher:issue — issues vouchers of one Sovereign as the user who runs the template (only its
 * franchise admins may). The full codes leave the action only as the `codes` / `codesMarkdown` outputs meant for
 * the template's output text; the log shows counts and masked codes.
 */
export function createVoucherIssueAction(options: { vouchers: VoucherClient }) {
  return createTemplateAction({
    id: 'catalyst:voucher:issue',
    description:
      'Issues credit vouchers for a Sovereign as the user running the template; the codes are output once',
    examples,
    schema: {
      input: {
        sovereign: z =>
          z
            .string()
            .describe(
              'The Sovereign: entity ref (sovereign:default/<name>) or name',
            ),
        credit: z =>
          z
            .object({
              amount: z
                .number()
                .positive()
                .describe('Credit per voucher, in major units (e.g. 100)'),
              currency: z
                .string()
                .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as OMR')
                .default('OMR')
                .describe('ISO 4217 currency code'),
            })
            .describe('The credit each voucher grants'),
        expiresAt: z =>
          z
            .string()
            .optional()
            .describe(
              'Last day the vouchers can be redeemed (YYYY-MM-DD, through the end of that day UTC) or an ISO date-time; empty for no expiry',
            ),
        count: z =>
          z
            .number()
            .int()
            .min(1)
            .max(500)
            .default(1)
            .describe('How many vouchers (codes) to issue, 1-500'),
        maxRedemptions: z =>
          z
            .number()
            .int()
            .min(0)
            .default(1)
            .describe('Redemptions allowed per voucher; 0 means unlimited'),
        description: z =>
          z
            .string()
            .max(500)
            .optional()
            .describe('What the vouchers are for (shown to admins)'),
      },
      output: {
        codes: z =>
          z
            .array(z.string())
            .describe('The full codes; shown once, never stored in clear'),
        codesMarkdown: z =>
          z.string().describe('The codes as a Markdown list for output.text'),
        vouchers: z =>
          z
            .array(
              z.object({
                id: z.string(),
                codeMasked: z.string(),
                credit: z.object({ amount: z.number(), currency: z.string() }),
                expiresAt: z.string().nullable(),
                maxRedemptions: z.number(),
              }),
            )
            .describe('The issued vouchers without their codes'),
        sovereign: z => z.string().describe('The Sovereign entity ref'),
      },
    },
    async handler(ctx) {
      const name = sovereignNameOf(ctx.input.sovereign);
      const sovereign = `sovereign:default/${name}`;
      const { credit, count, maxRedemptions } = ctx.input;
      const request = {
        credit: {
          amount: credit.amount,
          currency: credit.currency.toUpperCase(),
        },
        count,
        maxRedemptions,
        ...(ctx.input.description?.trim()
          ? { description: ctx.input.description.trim() }
          : {}),
        ...(expiryOf(ctx.input.expiresAt)
          ? { expiresAt: expiryOf(ctx.input.expiresAt) }
          : {}),
      };
      const what = `${count} voucher(s) of ${formatAmount(
        request.credit.amount,
        request.credit.currency,
      )} for ${sovereign}`;
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would issue ${what}`);
        ctx.output('codes', []);
        ctx.output('codesMarkdown', '_Dry run: no vouchers were issued._');
        ctx.output('vouchers', []);
        ctx.output('sovereign', sovereign);
        return;
      }
      // A recovered task (its backend died after this step's issue) shows the batch it issued, not a second one.
      const issued = (await ctx.checkpoint({
        key: `voucher.issue.${name}`,
        fn: async () =>
          (await options.vouchers.issue(
            name,
            request,
            await ctx.getInitiatorCredentials(),
            ctx.signal,
          )) as unknown as JsonValue,
      })) as unknown as IssuedVoucher[];
      ctx.logger.info(
        `Issued ${what}: ${issued.map(v => v.codeMasked).join(', ')}`,
      );
      ctx.output(
        'codes',
        issued.map(v => v.code),
      );
      ctx.output('codesMarkdown', codesMarkdown(issued));
      ctx.output(
        'vouchers',
        issued.map(v => ({
          id: v.id,
          codeMasked: v.codeMasked,
          credit: v.credit,
          expiresAt: v.expiresAt,
          maxRedemptions: v.maxRedemptions,
        })),
      );
      ctx.output('sovereign', sovereign);
    },
  });
}
