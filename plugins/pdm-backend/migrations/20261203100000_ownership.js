// @ts-check

/**
 * Ownership of what PDM hands out (docs/ownership-and-keys.md): every pool allocation and every bring-your-own
 * zone records the Sovereign it belongs to and that Sovereign's owning group.
 *
 * - pool_allocations.owner: the owning group (entity ref). A reserved row is released with its reservation token
 *   (or its hash, kept after the commit); an active row with that token or by naming its Sovereign and owner.
 * - byo_zones.sovereign_fqdn / owner: who the zone belongs to; created_by stays the creating task, which alone
 *   may delete it as a compensation.
 *
 * Rows from before this migration have no owner (NULL); they are released by naming their Sovereign, and the
 * docs describe how to backfill them from the registry.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('pool_allocations', table => {
    table.text('owner').nullable();
  });
  await knex.schema.alterTable('byo_zones', table => {
    table.text('sovereign_fqdn').nullable();
    table.text('owner').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('byo_zones', table => {
    table.dropColumn('owner');
    table.dropColumn('sovereign_fqdn');
  });
  await knex.schema.alterTable('pool_allocations', table => {
    table.dropColumn('owner');
  });
};
