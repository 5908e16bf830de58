// @ts-check

/**
 * The Sovereign registry: one row per Sovereign and its event history.
 * Timestamps are ISO-8601 UTC strings so SQLite and PostgreSQL return the same values and they sort as text.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('catalyst_sovereigns', table => {
    table.comment('Sovereigns provisioned by Catalyst; never holds a secret');
    table.string('name', 253).primary().notNullable();
    table.string('fqdn', 253).notNullable().unique();
    table.string('organization').notNullable();
    table.string('owner').notNullable();
    table.string('phase', 32).notNullable();
    table.text('phase_reason').nullable();
    table.string('task_id').nullable();
    table
      .text('record')
      .notNullable()
      .comment(
        'JSON of the remaining record fields (topology, domain, components, gitops, outputs, …)',
      );
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
  });

  await knex.schema.createTable('catalyst_sovereign_events', table => {
    table.comment('Timestamped lifecycle events of each Sovereign');
    table.bigIncrements('id').primary();
    table
      .string('sovereign_name', 253)
      .notNullable()
      .references('name')
      .inTable('catalyst_sovereigns')
      .onDelete('CASCADE');
    table.string('time', 32).notNullable();
    table.string('phase', 64).notNullable();
    table.string('level', 8).notNullable();
    table.text('message').notNullable();
    table.index(
      ['sovereign_name', 'id'],
      'catalyst_sovereign_events_by_sovereign',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('catalyst_sovereign_events');
  await knex.schema.dropTable('catalyst_sovereigns');
};
