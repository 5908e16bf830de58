// @ts-check

/**
 * catalyst_reservation_keeper: one row per provisioning task that holds a domain in PDM. The keeper's global
 * scheduler task works through these rows (renew while the task runs, compensate once when it ends badly), so
 * the work survives a restart and runs on whichever backend replica holds the task. `state` moves
 * tracking -> compensating -> (row deleted); the move to compensating is a conditional update, so only one
 * pass ever compensates a task.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('catalyst_reservation_keeper', table => {
    table.string('task_id', 255).notNullable().primary();
    table.text('entity_name').notNullable();
    table.text('fqdn').notNullable();
    table.text('domain').notNullable();
    table.text('reservation_token').nullable();
    table.integer('ttl_seconds').notNullable();
    table.boolean('committed').notNullable().defaultTo(false);
    table
      .string('state', 32)
      .notNullable()
      .defaultTo('tracking')
      .checkIn(['tracking', 'compensating'], 'catalyst_keeper_state_check');
    table.bigInteger('last_renewed_at').notNullable();
    table.text('reason').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('catalyst_reservation_keeper');
};
