// @ts-check

/**
 * When each Sovereign entered its current phase. The byo-manual delegation watcher times a `dns-pending`
 * Sovereign out 48 hours after it got there, which `updated_at` cannot tell (any re-record moves it).
 * Existing rows start from their first event since the phase last changed, else from `updated_at`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('catalyst_sovereigns', table => {
    table
      .string('phase_changed_at', 32)
      .nullable()
      .comment('ISO-8601 UTC time the Sovereign entered its current phase');
  });
  const rows = await knex('catalyst_sovereigns').select(
    'name',
    'phase',
    'updated_at',
  );
  for (const row of rows) {
    const before = await knex('catalyst_sovereign_events')
      .where({ sovereign_name: row.name })
      .whereNot({ phase: row.phase })
      .orderBy('id', 'desc')
      .first('id');
    const event = await knex('catalyst_sovereign_events')
      .where({ sovereign_name: row.name, phase: row.phase })
      .andWhere('id', '>', before?.id ?? 0)
      .orderBy('id', 'asc')
      .first('time');
    await knex('catalyst_sovereigns')
      .where({ name: row.name })
      .update({ phase_changed_at: event?.time ?? row.updated_at });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('catalyst_sovereigns', table => {
    table.dropColumn('phase_changed_at');
  });
};
