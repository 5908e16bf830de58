// @ts-check

/**
 * catalyst_reservation_keeper.reserved: the register step hands its task to the keeper before anything is
 * reserved (reserved = false), so a task that fails between registering the Sovereign and reserving its domain
 * is still compensated (the Sovereign is marked failed). The reserve step sets it to true. Rows written before
 * this column existed were all written by the reserve step.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('catalyst_reservation_keeper', table => {
    table.boolean('reserved').notNullable().defaultTo(true);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('catalyst_reservation_keeper', table => {
    table.dropColumn('reserved');
  });
};
