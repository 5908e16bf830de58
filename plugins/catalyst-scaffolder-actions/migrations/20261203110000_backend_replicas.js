// @ts-check

/**
 * catalyst_backend_replicas: every running backend process writes its replica id and a heartbeat here. A tofu lock
 * whose holder ran on another host is only taken over when that holder's replica stopped beating.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('catalyst_backend_replicas', table => {
    table.string('replica', 255).notNullable().primary();
    table.bigInteger('heartbeat_at').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('catalyst_backend_replicas');
};
