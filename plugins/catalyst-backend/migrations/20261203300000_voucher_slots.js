// @ts-check

/**
 * A voucher's redemption counter split into slots (docs/vouchers.md, "Redemption slots"), so customers sharing
 * one campaign code do not all queue on one row lock.
 *
 * - One row per slot: `capacity` is the slot's share of the voucher's cap (NULL when the voucher is unlimited),
 *   `used` the redemptions that stand in it, `open` false once the voucher is deactivated or revoked.
 * - A voucher's redemption count is the sum of `used` over its slots, and the cap is the sum of `capacity`; the
 *   counter column of the voucher row is gone.
 * - Existing vouchers get their slots here: the redemptions made so far go into the first slot, the rest of the
 *   cap is spread over the others.
 */

/** Slots of an unlimited voucher, and at most of a capped one (one per possible redemption below that). */
const SLOTS = 32;

/**
 * @param {number} maxRedemptions
 * @param {number} used
 */
function slotsFor(maxRedemptions, used) {
  const count = maxRedemptions === 0 ? SLOTS : Math.min(maxRedemptions, SLOTS);
  const remaining = Math.max(0, maxRedemptions - used);
  return Array.from({ length: count }, (_, slot) => {
    const slotUsed = slot === 0 ? used : 0;
    return {
      slot,
      used: slotUsed,
      capacity:
        maxRedemptions === 0
          ? null
          : slotUsed +
            Math.floor(remaining / count) +
            (slot < remaining % count ? 1 : 0),
    };
  });
}

/**
 * Not one transaction: SQLite drops a column by copying the table, and knex can switch SQLite's foreign-key checks
 * off for that copy only outside a transaction (the redemptions and slots reference the vouchers). Each step is
 * its own transaction instead and the migration can run again after a failed step.
 */
exports.config = { transaction: false };

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  if (!(await knex.schema.hasTable('catalyst_voucher_slots'))) {
    await knex.transaction(async trx => {
      await trx.schema.createTable('catalyst_voucher_slots', table => {
        table.comment(
          'Redemption counter of a voucher split into slots: count = SUM(used), cap = SUM(capacity)',
        );
        table
          .string('voucher_id', 36)
          .notNullable()
          .references('id')
          .inTable('catalyst_vouchers');
        table.integer('slot').notNullable();
        table
          .integer('capacity')
          .nullable()
          .comment('Redemptions this slot may hold; NULL when unlimited');
        table.integer('used').notNullable().defaultTo(0);
        table
          .boolean('open')
          .notNullable()
          .comment('False once the voucher is deactivated or revoked');
        table.primary(['voucher_id', 'slot']);
      });

      const vouchers = await trx('catalyst_vouchers').select(
        'id',
        'max_redemptions',
        'times_redeemed',
        'active',
        'revoked_at',
      );
      const rows = vouchers.flatMap(v =>
        slotsFor(Number(v.max_redemptions), Number(v.times_redeemed)).map(
          s => ({
            voucher_id: v.id,
            ...s,
            open: Boolean(v.active) && !v.revoked_at,
          }),
        ),
      );
      for (let i = 0; i < rows.length; i += 100) {
        await trx('catalyst_voucher_slots').insert(rows.slice(i, i + 100));
      }
    });
  }
  if (await knex.schema.hasColumn('catalyst_vouchers', 'times_redeemed')) {
    await knex.schema.alterTable('catalyst_vouchers', table => {
      table.dropColumn('times_redeemed');
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('catalyst_vouchers', table => {
    table.integer('times_redeemed').notNullable().defaultTo(0);
  });
  /** @type {Array<{ voucher_id: string, used: unknown }>} */
  const sums = await knex('catalyst_voucher_slots')
    .groupBy('voucher_id')
    .select('voucher_id')
    .sum({ used: 'used' });
  for (const row of sums) {
    await knex('catalyst_vouchers')
      .where({ id: row.voucher_id })
      .update({ times_redeemed: Number(row.used) });
  }
  await knex.schema.dropTable('catalyst_voucher_slots');
};
