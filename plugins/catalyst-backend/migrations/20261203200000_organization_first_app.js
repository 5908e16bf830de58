// @ts-check

/**
 * The first App an Organization was created with (a Blueprint name such as `bp-grafana`), so its catalog page
 * can say what it runs. Organizations created before have none recorded.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('catalyst_organizations', table => {
    table
      .string('first_app', 64)
      .nullable()
      .comment('Blueprint name of the first App installed at redemption');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('catalyst_organizations', table => {
    table.dropColumn('first_app');
  });
};
