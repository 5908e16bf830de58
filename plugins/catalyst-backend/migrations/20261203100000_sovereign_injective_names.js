// @ts-check

const { createHash, randomUUID } = require('node:crypto');

/**
 * Re-keys Sovereigns under the injective entity name (docs/ownership-and-keys.md).
 *
 * The earlier name replaced every dot with a hyphen, so `x.example.com` and `x-example.com` shared one key. The
 * new name doubles hyphens (and uses a readable head plus a SHA-256 digest beyond 63 characters). Names of FQDNs
 * without hyphens do not change. Every other row moves to its new name together with its events, vouchers and
 * organizations. The derivation is copied here on purpose: a migration must keep doing what it did when it was
 * written, whatever the code does later.
 *
 * @param {string} fqdn
 */
function entityName(fqdn) {
  const normalized = fqdn.trim().toLowerCase();
  const strict = /^[a-z]([a-z0-9-]*[a-z0-9])?(\.[a-z]([a-z0-9-]*[a-z0-9])?)+$/;
  if (strict.test(normalized)) {
    const short = normalized.replace(/-/g, '--').replace(/\./g, '-');
    if (short.length <= 63) return short;
  }
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const digest = createHash('sha256').update(normalized).digest();
  let hash = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && hash.length < 16) {
      hash += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (hash.length >= 16) break;
  }
  const tail = `---${hash}`;
  const head = normalized
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63 - tail.length)
    .replace(/[-_]+$/, '')
    .replace(/^[-_]+/, '');
  return `${head || 'x'}${tail}`;
}

/**
 * Moves one row from `from` to `to`: a copy under the new key takes over the children, then the old row goes.
 * The foreign key from the events has no ON UPDATE CASCADE, and the fqdn column is unique, hence the dance.
 *
 * @param {import('knex').Knex} knex
 * @param {string} from
 * @param {string} to
 */
async function moveRow(knex, from, to) {
  const row = await knex('catalyst_sovereigns').where({ name: from }).first();
  await knex('catalyst_sovereigns')
    .where({ name: from })
    .update({ fqdn: `#${randomUUID()}` });
  await knex('catalyst_sovereigns').insert({ ...row, name: to });
  await knex('catalyst_sovereign_events')
    .where({ sovereign_name: from })
    .update({ sovereign_name: to });
  await knex('catalyst_vouchers')
    .where({ sovereign: from })
    .update({ sovereign: to });
  await knex('catalyst_organizations')
    .where({ sovereign: from })
    .update({ sovereign: to });
  await knex('catalyst_sovereigns').where({ name: from }).delete();
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  const rows = await knex('catalyst_sovereigns').select('name', 'fqdn');
  const moves = rows
    .map(row => ({ from: row.name, to: entityName(row.fqdn) }))
    .filter(move => move.from !== move.to);
  // Two passes through temporary names: a new name may be another row's old one.
  const staged = [];
  for (const move of moves) {
    const temporary = `migrating-${randomUUID()}`;
    await moveRow(knex, move.from, temporary);
    staged.push({ from: temporary, to: move.to });
  }
  for (const move of staged) await moveRow(knex, move.from, move.to);
};

/**
 * Back to the legacy names where that is possible: a Sovereign whose legacy name another row holds keeps its new
 * name (the legacy scheme cannot tell the two apart).
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const rows = await knex('catalyst_sovereigns').select('name', 'fqdn');
  for (const row of rows) {
    const legacy = row.fqdn.replace(/\./g, '-');
    if (legacy === row.name) continue;
    const taken = await knex('catalyst_sovereigns')
      .where({ name: legacy })
      .first();
    if (!taken) await moveRow(knex, row.name, legacy);
  }
};
