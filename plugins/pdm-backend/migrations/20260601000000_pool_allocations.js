// @ts-check

/**
 * pool_allocations (docs/pdm.md §4.1). The primary key is the only mutex: two reserves of one name
 * cannot both insert. `token_sha256` lets a commit retried after a partial failure prove it holds
 * the reservation after the token itself has been cleared.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('pool_allocations', table => {
    table.text('pool_domain').notNullable();
    table.text('subdomain').notNullable();
    table
      .text('state')
      .notNullable()
      .checkIn(['reserved', 'active'], 'pool_allocations_state_check');
    table.timestamp('reserved_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.text('sovereign_fqdn').nullable();
    table.text('load_balancer_ip').nullable();
    table.uuid('reservation_token').nullable();
    table.text('token_sha256').nullable();
    table.text('created_by').notNullable();
    table.primary(['pool_domain', 'subdomain'], 'pool_allocations_pkey');
    table.index(['pool_domain', 'state'], 'pool_allocations_state_idx');
  });
  if (knex.client.dialect === 'postgresql') {
    await knex.raw(
      "CREATE INDEX pool_allocations_expires_idx ON pool_allocations (expires_at) WHERE state = 'reserved'",
    );
  } else {
    await knex.schema.alterTable('pool_allocations', table => {
      table.index(['expires_at'], 'pool_allocations_expires_idx');
    });
  }

  // Bring-your-own zones PDM created (docs/pdm.md §7): who asked for them and their last record write.
  await knex.schema.createTable('byo_zones', table => {
    table.text('domain').primary('byo_zones_pkey');
    table.text('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.text('load_balancer_ip').nullable();
    table.timestamp('records_at', { useTz: true }).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('byo_zones');
  await knex.schema.dropTable('pool_allocations');
};
