// @ts-check

/**
 * Markers for DNS work in flight, so that no transaction is held across PowerDNS calls (docs/recovery.md, PDM).
 *
 * - pool_allocations.releasing_id / releasing_until: a release or the sweeper has claimed the row and is tearing its
 *   DNS down. The row keeps the name (no new reserve, commit or renew) until the teardown finished and the row is
 *   deleted. `releasing_until` is the claim's lease: past it (the worker died, or its teardown failed) a retried
 *   release or the next sweep takes the claim over and finishes the job.
 * - byo_zones.pending / pending_id / pending_until: the same for a bring-your-own zone being created ('creating'),
 *   re-provisioned by its creator ('refreshing') or deleted ('deleting').
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('pool_allocations', table => {
    table.text('releasing_id').nullable();
    table.timestamp('releasing_until', { useTz: true }).nullable();
  });
  await knex.schema.alterTable('byo_zones', table => {
    table.text('pending').nullable();
    table.text('pending_id').nullable();
    table.timestamp('pending_until', { useTz: true }).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('byo_zones', table => {
    table.dropColumn('pending_until');
    table.dropColumn('pending_id');
    table.dropColumn('pending');
  });
  await knex.schema.alterTable('pool_allocations', table => {
    table.dropColumn('releasing_until');
    table.dropColumn('releasing_id');
  });
};
