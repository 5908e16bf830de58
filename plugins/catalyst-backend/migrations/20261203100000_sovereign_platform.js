// @ts-check

/**
 * Phase 1 (docs/phase1.md): the kubeconfig handoff and the platform's readiness.
 *
 * - catalyst_sovereign_kubeconfig_tokens: single-use bearer secrets a new cluster presents when it PUTs its
 *   kubeconfig back, stored only as SHA-256 hashes, with an expiry and the time they were used.
 * - catalyst_sovereign_kubeconfigs: the handed-back kubeconfig, encrypted (AES-256-GCM) at rest.
 * - catalyst_sovereign_readiness: the watcher's last view of the cluster's Flux objects (JSON).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'catalyst_sovereign_kubeconfig_tokens',
    table => {
      table.increments('id').primary();
      table.string('sovereign_name', 63).notNullable().index();
      table
        .string('token_hash', 64)
        .notNullable()
        .comment('SHA-256 of the secret, hex');
      table.string('created_at', 32).notNullable();
      table.string('expires_at', 32).notNullable();
      table.string('used_at', 32).nullable();
    },
  );
  await knex.schema.createTable('catalyst_sovereign_kubeconfigs', table => {
    table.string('sovereign_name', 63).primary();
    table
      .text('ciphertext')
      .notNullable()
      .comment('v1:<base64 iv|tag|ciphertext>, AES-256-GCM');
    table.string('received_at', 32).notNullable();
  });
  await knex.schema.createTable('catalyst_sovereign_readiness', table => {
    table.string('sovereign_name', 63).primary();
    table.text('body').notNullable().comment('SovereignReadiness as JSON');
    table.string('updated_at', 32).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('catalyst_sovereign_readiness');
  await knex.schema.dropTable('catalyst_sovereign_kubeconfigs');
  await knex.schema.dropTable('catalyst_sovereign_kubeconfig_tokens');
};
