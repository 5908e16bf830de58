// @ts-check

/**
 * Vouchers (billing-credit codes of one Sovereign), their redemption ledger, the credit ledger and the
 * Organizations created by redemptions (docs/vouchers.md).
 *
 * - Codes are never stored: only an HMAC-SHA256 of the canonical code (unique across all Sovereigns, so a code
 *   names exactly one voucher) and a masked form for display.
 * - Amounts are integers in the currency's minor units (baisa for OMR).
 * - Timestamps are ISO-8601 UTC strings (same values on SQLite and PostgreSQL, sortable as text).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('catalyst_vouchers', table => {
    table.comment(
      'Billing-credit vouchers; codes are kept only as keyed hashes',
    );
    table.string('id', 36).primary().notNullable();
    table.string('sovereign', 255).notNullable();
    table.string('code_hash', 64).notNullable().unique();
    table.string('code_kind', 16).notNullable();
    table.string('code_masked', 96).notNullable();
    table.integer('credit_minor').notNullable();
    table.string('currency', 3).notNullable().defaultTo('OMR');
    table.text('description').notNullable().defaultTo('');
    table.boolean('active').notNullable().defaultTo(true);
    table.integer('max_redemptions').notNullable().defaultTo(1);
    table.integer('times_redeemed').notNullable().defaultTo(0);
    table.string('expires_at', 32).nullable();
    table.string('issued_by', 255).notNullable();
    table.string('revoked_by', 255).nullable();
    table.string('revoked_at', 32).nullable();
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table.index(['sovereign', 'created_at'], 'catalyst_vouchers_by_sovereign');
  });

  await knex.schema.createTable('catalyst_voucher_redemptions', table => {
    table.comment(
      'One row per redemption; rolled-back rows stay for the audit trail',
    );
    table.string('id', 36).primary().notNullable();
    table
      .string('voucher_id', 36)
      .notNullable()
      .references('id')
      .inTable('catalyst_vouchers');
    table.string('customer', 255).notNullable();
    table
      .string('customer_key', 255)
      .nullable()
      .comment(
        'The customer while the redemption stands, NULL once rolled back: one live redemption per customer',
      );
    table.string('organization', 255).notNullable();
    table.integer('credit_minor').notNullable();
    table.string('currency', 3).notNullable();
    table.string('status', 16).notNullable();
    table.string('redeemed_at', 32).notNullable();
    table.string('rolled_back_at', 32).nullable();
    table.unique(['voucher_id', 'customer_key'], {
      indexName: 'catalyst_voucher_redemptions_once_per_customer',
    });
  });

  await knex.schema.createTable('catalyst_credit_ledger', table => {
    table.comment(
      'Append-only credit ledger: balance = SUM(amount_minor) per customer and currency',
    );
    table.bigIncrements('id').primary();
    table.string('customer', 255).notNullable();
    table.string('organization', 255).nullable();
    table.integer('amount_minor').notNullable();
    table.string('currency', 3).notNullable();
    table.string('reason', 128).notNullable();
    table.string('redemption_id', 36).nullable();
    table.string('created_at', 32).notNullable();
    table.index(['customer'], 'catalyst_credit_ledger_by_customer');
  });

  await knex.schema.createTable('catalyst_organizations', table => {
    table.comment(
      'Organizations (tenants) of a Sovereign; shown as Group entities',
    );
    table.string('sovereign', 255).notNullable();
    table.string('slug', 32).notNullable();
    table.string('name', 128).notNullable();
    table.string('owner', 255).notNullable();
    table.string('redemption_id', 36).nullable();
    table.string('created_at', 32).notNullable();
    table.primary(['sovereign', 'slug']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('catalyst_organizations');
  await knex.schema.dropTable('catalyst_credit_ledger');
  await knex.schema.dropTable('catalyst_voucher_redemptions');
  await knex.schema.dropTable('catalyst_vouchers');
};
