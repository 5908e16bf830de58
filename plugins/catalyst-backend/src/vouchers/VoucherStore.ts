import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  OrganizationRecord,
  RedeemRejection,
  VoucherCredit,
  VoucherPatch,
  VoucherRecord,
  VoucherRedemption,
  VoucherState,
} from '@catalyst/plugin-catalyst-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { OrganizationStore } from '../organizations/OrganizationStore';
import { creditFromMinor } from './VoucherCredit';
import { VoucherCodeKind } from './voucherCode';

const migrationsDir = resolvePackagePath(
  '@catalyst/plugin-catalyst-backend',
  'migrations',
);

const VOUCHERS = 'catalyst_vouchers';
const REDEMPTIONS = 'catalyst_voucher_redemptions';
const LEDGER = 'catalyst_credit_ledger';
const ORGANIZATIONS_TABLE = 'catalyst_organizations';
const SLOTS = 'catalyst_voucher_slots';

/**
 * Slots of an unlimited voucher, and at most of a capped one (docs/vouchers.md, "Redemption slots"): more than the
 * redemptions that can run at once through the database pool, so concurrent redemptions of one campaign code each
 * find a slot nobody holds.
 */
export const VOUCHER_SLOTS = 32;

type SlotRow = {
  voucher_id: string;
  slot: number;
  capacity: number | null;
  used: number;
  open: boolean | number;
};

/**
 * Capacities for a voucher's slots: `used[i]` stays in slot i, the rest of the cap is spread evenly, so the
 * capacities add up to the cap exactly (NULL everywhere when the voucher is unlimited).
 */
function slotCapacities(
  maxRedemptions: number,
  used: number[],
): Array<number | null> {
  if (maxRedemptions === 0) return used.map(() => null);
  const total = used.reduce((a, b) => a + b, 0);
  const remaining = Math.max(0, maxRedemptions - total);
  const n = used.length;
  return used.map(
    (u, i) => u + Math.floor(remaining / n) + (i < remaining % n ? 1 : 0),
  );
}

/** How many slots a voucher with this cap has (0 = unlimited). */
function slotCount(maxRedemptions: number): number {
  return maxRedemptions === 0
    ? VOUCHER_SLOTS
    : Math.min(maxRedemptions, VOUCHER_SLOTS);
}

/** The voucher row as stored. */
type VoucherColumns = {
  id: string;
  sovereign: string;
  code_hash: string;
  code_kind: string;
  code_masked: string;
  credit_minor: number;
  currency: string;
  description: string;
  active: boolean | number;
  max_redemptions: number;
  expires_at: string | null;
  issued_by: string;
  revoked_by: string | null;
  revoked_at: string | null;
  created_at: string;
  updated_at: string;
};

/** The voucher row with its redemption count (the sum over its slots). */
type VoucherRow = VoucherColumns & { times_redeemed: number };

type RedemptionRow = {
  id: string;
  voucher_id: string;
  customer: string;
  customer_key: string | null;
  organization: string;
  credit_minor: number;
  currency: string;
  status: 'granted' | 'rolled-back';
  redeemed_at: string;
  rolled_back_at: string | null;
};

export type Credit = VoucherCredit;

/** A voucher as the API and the catalog see it: never the code, only its masked form. */
export type Voucher = VoucherRecord & {
  /** Redemptions that stand (rolled-back ones are not counted). */
  redemptions: number;
};

export type Redemption = VoucherRedemption;

export type VoucherIssueInput = {
  sovereign: string;
  creditMinor: number;
  currency: string;
  description: string;
  expiresAt: string | null;
  maxRedemptions: number;
  issuedBy: string;
  /** One entry per voucher: the keyed hash and masked form of its code. */
  codes: Array<{ hash: string; masked: string; kind: VoucherCodeKind }>;
};

export type { VoucherPatch };

export type { RedeemRejection };

export type RedeemResult =
  | {
      ok: true;
      redemption: Redemption;
      voucher: Voucher;
      organization: OrganizationRecord;
    }
  | { ok: false; reason: RedeemRejection };

export type PreviewResult =
  | { state: 'active'; credit: Credit; expiresAt: string | null }
  | { state: 'unknown' | Exclude<VoucherState, 'active' | 'revoked'> };

export type RollbackResult = {
  redemption: Redemption;
  voucher: Voucher;
  organization?: OrganizationRecord;
};

/** Thrown inside the issue transaction when a code hash is already stored. */
class CodeTaken extends Error {}

/** Thrown inside the redeem transaction to roll it back with the reason the voucher refused. */
class RedeemRefused extends Error {
  constructor(readonly reason: RedeemRejection) {
    super(reason);
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * The voucher store (docs/vouchers.md): vouchers, the redemption ledger and the credit ledger, in the
 * plugin database. Codes arrive already hashed; this class never sees one.
 *
 * Redemption is one transaction whose last statement is the conditional counter update
 * `UPDATE … WHERE active AND NOT revoked AND times_redeemed < max_redemptions`: it is the only write to the voucher
 * row, so a campaign code shared by many customers holds its row lock for that statement and the commit only,
 * and it keeps the count exact (PostgreSQL re-checks the condition after waiting for the lock; SQLite serialises
 * writers). When it matches no row, the whole transaction rolls back with the reason.
 */
export class VoucherStore {
  static async create(
    database: DatabaseService,
    options?: { now?: () => Date },
  ): Promise<VoucherStore> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new VoucherStore(client, options?.now ?? (() => new Date()));
  }

  private readonly rowLocks: boolean;

  private constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {
    this.rowLocks = ['pg', 'postgres', 'postgresql'].includes(
      String(db.client.config.client),
    );
  }

  /** Voucher rows with their redemption count, the sum of `used` over their slots (alias `v`). */
  private vouchers(db: Knex) {
    return db<VoucherRow>(`${VOUCHERS} as v`).select(
      'v.*',
      db.raw(
        `(SELECT COALESCE(SUM(s.used), 0) FROM ${SLOTS} s WHERE s.voucher_id = v.id) AS times_redeemed`,
      ),
    );
  }

  /** The database this store writes to, for the Organization store that shares its transactions. */
  get knex(): Knex {
    return this.db;
  }

  private stateOf(row: VoucherRow, at: Date): VoucherState {
    if (row.revoked_at) return 'revoked';
    if (!row.active) return 'deactivated';
    if (row.expires_at && at.getTime() >= Date.parse(row.expires_at)) {
      return 'expired';
    }
    if (row.max_redemptions > 0 && row.times_redeemed >= row.max_redemptions) {
      return 'exhausted';
    }
    return 'active';
  }

  private toVoucher(row: VoucherRow, redemptions: number, at: Date): Voucher {
    return {
      id: row.id,
      sovereign: row.sovereign,
      codeMasked: row.code_masked,
      credit: {
        amount: creditFromMinor(Number(row.credit_minor), row.currency),
        currency: row.currency,
      },
      description: row.description,
      state: this.stateOf(row, at),
      maxRedemptions: Number(row.max_redemptions),
      timesRedeemed: Number(row.times_redeemed),
      expiresAt: row.expires_at,
      issuedBy: row.issued_by,
      createdAt: row.created_at,
      redemptions,
    };
  }

  private toRedemption(row: RedemptionRow): Redemption {
    return {
      id: row.id,
      voucherId: row.voucher_id,
      customer: row.customer,
      organization: row.organization,
      credit: {
        amount: creditFromMinor(Number(row.credit_minor), row.currency),
        currency: row.currency,
      },
      redeemedAt: row.redeemed_at,
    };
  }

  private async standingRedemptions(
    db: Knex,
    voucherIds: string[],
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (voucherIds.length === 0) return counts;
    const rows = await db(REDEMPTIONS)
      .whereIn('voucher_id', voucherIds)
      .andWhere('status', 'granted')
      .groupBy('voucher_id')
      .select('voucher_id')
      .count({ n: '*' });
    for (const row of rows as Array<{ voucher_id: string; n: unknown }>) {
      counts.set(String(row.voucher_id), Number(row.n));
    }
    return counts;
  }

  private async load(db: Knex, id: string): Promise<Voucher | undefined> {
    const row: VoucherRow | undefined = await this.vouchers(db)
      .where('v.id', id)
      .first();
    if (!row) return undefined;
    const counts = await this.standingRedemptions(db, [id]);
    return this.toVoucher(row, counts.get(id) ?? 0, this.now());
  }

  /** Issues one voucher per code, all or none. A code that exists anywhere, revoked or not, is a 409. */
  async issue(input: VoucherIssueInput): Promise<Voucher[]> {
    const at = this.now().toISOString();
    const rows: VoucherColumns[] = input.codes.map(code => ({
      id: randomUUID(),
      sovereign: input.sovereign,
      code_hash: code.hash,
      code_kind: code.kind,
      code_masked: code.masked,
      credit_minor: input.creditMinor,
      currency: input.currency,
      description: input.description,
      active: true,
      max_redemptions: input.maxRedemptions,
      expires_at: input.expiresAt,
      issued_by: input.issuedBy,
      revoked_by: null,
      revoked_at: null,
      created_at: at,
      updated_at: at,
    }));
    try {
      await this.db.transaction(async trx => {
        const taken = await trx(VOUCHERS)
          .whereIn(
            'code_hash',
            rows.map(r => r.code_hash),
          )
          .first('id');
        if (taken) throw new CodeTaken();
        // Batches keep the statement under SQLite's bound-parameter limit.
        for (let i = 0; i < rows.length; i += 50) {
          await trx(VOUCHERS).insert(rows.slice(i, i + 50));
        }
        const capacities = slotCapacities(
          input.maxRedemptions,
          Array.from({ length: slotCount(input.maxRedemptions) }, () => 0),
        );
        const slots: SlotRow[] = rows.flatMap(row =>
          capacities.map((capacity, slot) => ({
            voucher_id: row.id,
            slot,
            capacity,
            used: 0,
            open: true,
          })),
        );
        for (let i = 0; i < slots.length; i += 100) {
          await trx(SLOTS).insert(slots.slice(i, i + 100));
        }
      });
    } catch (error) {
      if (error instanceof CodeTaken || isUniqueViolation(error)) {
        throw new ConflictError(
          'This voucher code already exists (revoked codes are never re-issued); choose another code',
        );
      }
      throw error;
    }
    const now = this.now();
    return rows.map(row =>
      this.toVoucher({ ...row, times_redeemed: 0 }, 0, now),
    );
  }

  /** A Sovereign's live vouchers (revoked ones are hidden), newest first. */
  async list(sovereign: string): Promise<Voucher[]> {
    const rows: VoucherRow[] = await this.vouchers(this.db)
      .where('v.sovereign', sovereign)
      .whereNull('v.revoked_at')
      .orderBy([
        { column: 'v.created_at', order: 'desc' },
        { column: 'v.id', order: 'asc' },
      ]);
    const counts = await this.standingRedemptions(
      this.db,
      rows.map(r => r.id),
    );
    const now = this.now();
    return rows.map(row => this.toVoucher(row, counts.get(row.id) ?? 0, now));
  }

  /** One voucher of a Sovereign (revoked included, for the audit trail) with its standing redemptions. */
  async get(
    sovereign: string,
    id: string,
  ): Promise<(Voucher & { redemptionLog: Redemption[] }) | undefined> {
    const voucher = await this.load(this.db, id);
    if (!voucher || voucher.sovereign !== sovereign) return undefined;
    const rows = await this.db<RedemptionRow>(REDEMPTIONS)
      .where({ voucher_id: id, status: 'granted' })
      .orderBy([
        { column: 'redeemed_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return { ...voucher, redemptionLog: rows.map(r => this.toRedemption(r)) };
  }

  /** Every voucher of every Sovereign, revoked included, as the catalog provider reads them. */
  async records(): Promise<VoucherRecord[]> {
    const rows: VoucherRow[] = await this.vouchers(this.db).orderBy('v.id');
    const now = this.now();
    return rows.map(row => {
      const { redemptions: _ignored, ...record } = this.toVoucher(row, 0, now);
      return record;
    });
  }

  async patch(
    sovereign: string,
    id: string,
    patch: VoucherPatch,
  ): Promise<Voucher> {
    await this.db.transaction(async trx => {
      await this.lockLive(trx, sovereign, id);
      // Every slot is locked: redemptions in flight finish first, later ones see the new capacities and gate.
      let slotQuery = trx<SlotRow>(SLOTS)
        .where({ voucher_id: id })
        .orderBy('slot');
      if (this.rowLocks) slotQuery = slotQuery.forUpdate();
      const slots = await slotQuery;
      const used = slots.map(slot => Number(slot.used));
      const timesRedeemed = used.reduce((a, b) => a + b, 0);
      if (
        patch.maxRedemptions !== undefined &&
        patch.maxRedemptions !== 0 &&
        patch.maxRedemptions < timesRedeemed
      ) {
        throw new ConflictError(
          `maxRedemptions: cannot be lower than the ${timesRedeemed} redemption(s) already made (0 = unlimited)`,
        );
      }
      if (patch.maxRedemptions !== undefined) {
        await this.resizeSlots(trx, id, patch.maxRedemptions, slots);
      }
      if (patch.active !== undefined) {
        await trx(SLOTS)
          .where({ voucher_id: id })
          .update({ open: patch.active });
      }
      const update: Partial<VoucherRow> = {
        updated_at: this.now().toISOString(),
      };
      if (patch.active !== undefined) update.active = patch.active;
      if (patch.description !== undefined) {
        update.description = patch.description;
      }
      if (patch.maxRedemptions !== undefined) {
        update.max_redemptions = patch.maxRedemptions;
      }
      if (patch.expiresAt !== undefined) update.expires_at = patch.expiresAt;
      await trx(VOUCHERS).where({ id }).update(update);
    });
    return (await this.load(this.db, id))!;
  }

  /** Soft delete: the row stays for history; the code can never be issued again. */
  async revoke(sovereign: string, id: string, by: string): Promise<Voucher> {
    await this.db.transaction(async trx => {
      await this.lockLive(trx, sovereign, id);
      const at = this.now().toISOString();
      await trx(VOUCHERS).where({ id }).whereNull('revoked_at').update({
        revoked_at: at,
        revoked_by: by,
        active: false,
        updated_at: at,
      });
      // Closing the slots waits for the redemptions holding one; every later one finds them closed.
      await trx(SLOTS).where({ voucher_id: id }).update({ open: false });
    });
    return (await this.load(this.db, id))!;
  }

  /**
   * Revokes every voucher of a Sovereign that is not revoked yet (its decommission): no code of a Sovereign
   * being removed can be redeemed again. Answers the vouchers it revoked; repeating it revokes none.
   */
  async revokeAll(sovereign: string, by: string): Promise<Voucher[]> {
    const at = this.now().toISOString();
    const ids = await this.db.transaction(async trx => {
      const open: Array<{ id: string }> = await trx(VOUCHERS)
        .where({ sovereign })
        .whereNull('revoked_at')
        .select('id');
      if (open.length === 0) return [];
      await trx(VOUCHERS)
        .whereIn(
          'id',
          open.map(o => o.id),
        )
        .whereNull('revoked_at')
        .update({
          revoked_at: at,
          revoked_by: by,
          active: false,
          updated_at: at,
        });
      const openIds = open.map(o => o.id);
      for (let i = 0; i < openIds.length; i += 500) {
        await trx(SLOTS)
          .whereIn('voucher_id', openIds.slice(i, i + 500))
          .update({ open: false });
      }
      return openIds;
    });
    const revoked: Voucher[] = [];
    for (const id of ids) revoked.push((await this.load(this.db, id))!);
    return revoked;
  }

  /** What a decommission of a Sovereign affects: its Organizations (tenants) and its vouchers not revoked yet. */
  async impact(
    sovereign: string,
  ): Promise<{ organizations: string[]; openVouchers: number }> {
    const organizations = await this.db(ORGANIZATIONS_TABLE)
      .where({ sovereign })
      .orderBy('slug')
      .select('slug');
    const [{ count }] = await this.db(VOUCHERS)
      .where({ sovereign })
      .whereNull('revoked_at')
      .count({ count: '*' });
    return {
      organizations: organizations.map((o: { slug: string }) => o.slug),
      openVouchers: Number(count),
    };
  }

  /**
   * Gives a voucher's slots the capacities of a new cap (the redemptions they hold stay where they are), adding
   * slots up to the count the cap calls for. The caller holds every slot's lock.
   */
  private async resizeSlots(
    trx: Knex.Transaction,
    voucherId: string,
    maxRedemptions: number,
    slots: SlotRow[],
  ) {
    const used = slots.map(slot => Number(slot.used));
    const open = slots.length > 0 ? Boolean(slots[0].open) : true;
    while (used.length < slotCount(maxRedemptions)) used.push(0);
    const capacities = slotCapacities(maxRedemptions, used);
    for (let slot = 0; slot < capacities.length; slot++) {
      if (slot < slots.length) {
        if (slots[slot].capacity !== capacities[slot]) {
          await trx(SLOTS)
            .where({ voucher_id: voucherId, slot })
            .update({ capacity: capacities[slot] });
        }
      } else {
        await trx(SLOTS).insert({
          voucher_id: voucherId,
          slot,
          capacity: capacities[slot],
          used: 0,
          open,
        });
      }
    }
  }

  private async lockLive(
    trx: Knex.Transaction,
    sovereign: string,
    id: string,
  ): Promise<VoucherColumns> {
    let query = trx<VoucherColumns>(VOUCHERS).where({ id, sovereign });
    // NO KEY UPDATE: a redemption's foreign-key check (KEY SHARE on this row) does not wait for it.
    if (this.rowLocks) query = query.forNoKeyUpdate();
    const row = await query.first();
    if (!row || row.revoked_at) {
      throw new NotFoundError(
        `Sovereign ${sovereign} has no voucher '${id}' that is not revoked`,
      );
    }
    return row;
  }

  /** What a preview may reveal: revoked codes look exactly like unknown ones. */
  async preview(codeHash: string, sovereign?: string): Promise<PreviewResult> {
    const row: VoucherRow | undefined = await this.vouchers(this.db)
      .where('v.code_hash', codeHash)
      .first();
    if (!row || row.revoked_at || (sovereign && row.sovereign !== sovereign)) {
      return { state: 'unknown' };
    }
    const state = this.stateOf(row, this.now());
    if (state === 'revoked') return { state: 'unknown' };
    if (state !== 'active') return { state };
    return {
      state,
      credit: {
        amount: creditFromMinor(Number(row.credit_minor), row.currency),
        currency: row.currency,
      },
      expiresAt: row.expires_at,
    };
  }

  /**
   * Redeems a code for a customer and creates the Organization it pays for, in one transaction (docs/vouchers.md):
   * the redemption row, the counter, the credit ledger entry and the Organization commit together or not at all.
   */
  async redeem(input: {
    codeHash: string;
    sovereign: string;
    customer: string;
    organization: { slug: string; name: string; firstApp?: string };
    organizationRef: string;
  }): Promise<RedeemResult> {
    try {
      // PostgreSQL: the checks, then every write in one statement (no transaction held open across round trips).
      // SQLite: one transaction (writers are serialised there).
      return this.rowLocks
        ? await this.redeemIn(this.db, input, true)
        : await this.db.transaction(trx => this.redeemIn(trx, input, false));
    } catch (error) {
      if (error instanceof RedeemRefused) {
        return { ok: false, reason: error.reason };
      }
      if (!isUniqueViolation(error)) throw error;
      // A concurrent transaction won a unique constraint; say which one.
      const voucher = await this.db<VoucherRow>(VOUCHERS)
        .where({ code_hash: input.codeHash })
        .first('id');
      const again =
        voucher &&
        (await this.db(REDEMPTIONS)
          .where({ voucher_id: voucher.id, customer_key: input.customer })
          .first('id'));
      return { ok: false, reason: again ? 'already-redeemed' : 'slug-taken' };
    }
  }

  private async redeemIn(
    trx: Knex,
    input: Parameters<VoucherStore['redeem']>[0],
    oneStatement: boolean,
  ): Promise<RedeemResult> {
    // Read without a lock: the checks below only pick the refusal reason early; claiming a slot at the end
    // re-checks everything that can change (revoked, active, cap) under that slot's lock.
    const row: VoucherRow | undefined = await this.vouchers(trx)
      .where('v.code_hash', input.codeHash)
      .first();
    const now = this.now();
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.sovereign !== input.sovereign) {
      return { ok: false, reason: 'wrong-sovereign' };
    }
    const state = this.stateOf(row, now);
    if (state !== 'active') {
      return {
        ok: false,
        reason: state === 'deactivated' ? 'inactive' : state,
      };
    }
    // PostgreSQL leaves the duplicate checks to the unique constraints the statement meets (answered by
    // `redeem` in the same order), which saves two round trips per redemption.
    if (!oneStatement) {
      const earlier = await trx(REDEMPTIONS)
        .where({ voucher_id: row.id, customer_key: input.customer })
        .first('id');
      if (earlier) return { ok: false, reason: 'already-redeemed' };
      if (
        await OrganizationStore.exists(
          trx,
          input.sovereign,
          input.organization.slug,
        )
      ) {
        return { ok: false, reason: 'slug-taken' };
      }
    }

    // The rows that only this redemption touches come first; a concurrent duplicate (same customer, same
    // Organization slug) fails on their unique constraints and is answered by `redeem`.
    const at = now.toISOString();
    const redemption: RedemptionRow = {
      id: randomUUID(),
      voucher_id: row.id,
      customer: input.customer,
      customer_key: input.customer,
      organization: input.organizationRef,
      credit_minor: Number(row.credit_minor),
      currency: row.currency,
      status: 'granted',
      redeemed_at: at,
      rolled_back_at: null,
    };
    const ledger = {
      customer: input.customer,
      organization: input.organizationRef,
      amount_minor: redemption.credit_minor,
      currency: row.currency,
      reason: `voucher:${row.id}`,
      redemption_id: redemption.id,
      created_at: at,
    };
    const organization: OrganizationRecord = {
      sovereign: input.sovereign,
      slug: input.organization.slug,
      name: input.organization.name,
      owner: input.customer,
      createdAt: at,
      ...(input.organization.firstApp
        ? { firstApp: input.organization.firstApp }
        : {}),
      credit: [
        {
          amount: creditFromMinor(redemption.credit_minor, row.currency),
          currency: row.currency,
        },
      ],
    };
    if (oneStatement) {
      // First a slot nobody holds; when every slot with room is held by a redemption in flight (a nearly
      // exhausted voucher), wait for one of them, since it may still roll back.
      const counted =
        (await this.redeemStatement(
          trx,
          row.id,
          true,
          redemption,
          ledger,
          organization,
        )) ??
        (await this.redeemStatement(
          trx,
          row.id,
          false,
          redemption,
          ledger,
          organization,
        ));
      if (counted === undefined) {
        throw new RedeemRefused(await this.refusalOf(trx, row.id, now));
      }
      // The count the statement saw plus this redemption. A capped voucher is read again after the commit, so
      // the state it reports (exhausted or not) counts the redemptions that committed at the same time.
      const voucher =
        row.max_redemptions > 0
          ? (await this.load(trx, row.id))!
          : this.toVoucher(
              { ...row, times_redeemed: counted },
              counted,
              this.now(),
            );
      return {
        ok: true,
        redemption: this.toRedemption(redemption),
        voucher,
        organization,
      };
    }
    await trx(REDEMPTIONS).insert(redemption);
    await trx(LEDGER).insert(ledger);
    await OrganizationStore.insert(trx, organization, redemption.id);

    // SQLite serialises writers: the first open slot with room takes the redemption, or none is left.
    const counted = await trx(SLOTS)
      .where({ voucher_id: row.id, open: true })
      .andWhere(q =>
        q.whereNull('capacity').orWhere('used', '<', trx.ref('capacity')),
      )
      .whereIn(
        'slot',
        trx(SLOTS)
          .where({ voucher_id: row.id, open: true })
          .andWhere(q =>
            q.whereNull('capacity').orWhere('used', '<', trx.ref('capacity')),
          )
          .orderBy('slot')
          .limit(1)
          .select('slot'),
      )
      .update({ used: trx.raw('used + 1') });
    if (counted !== 1) {
      // Revoked, deactivated or capped since it was read: undo the rows above and say why.
      throw new RedeemRefused(await this.refusalOf(trx, row.id, now));
    }
    const voucher = (await this.load(trx, row.id))!;
    return {
      ok: true,
      redemption: this.toRedemption(redemption),
      voucher,
      organization,
    };
  }

  /** Why the counter update matched no row: the voucher changed since it was read. */
  private async refusalOf(
    db: Knex,
    id: string,
    now: Date,
  ): Promise<RedeemRejection> {
    const current: VoucherRow = (await this.vouchers(db)
      .where('v.id', id)
      .first())!;
    const latest = this.stateOf(current, now);
    if (latest === 'deactivated') return 'inactive';
    // Still "active" by its fields means the cap was reached between the read and the update.
    return latest === 'active' ? 'exhausted' : latest;
  }

  /**
   * PostgreSQL: claiming a slot and the redemption, ledger and Organization rows as one statement, committed on
   * its own (docs/vouchers.md, "Redemption slots"). The slot is picked with `FOR UPDATE SKIP LOCKED` among the
   * voucher's open slots with room, so customers sharing one campaign code each take a different slot instead of
   * queueing on one row; the update re-checks the slot (open, room) against its latest version, so the cap is
   * never passed and a revocation, which closes every slot, stops every redemption not counted before it. The
   * inserts read from the update, so nothing is written when no slot was claimed; a unique violation (the same
   * customer or Organization slug at the same time) fails the whole statement. Answers the voucher's count as
   * the statement saw it, this redemption included, or undefined when no slot was claimed.
   */
  private async redeemStatement(
    db: Knex,
    voucherId: string,
    skipLocked: boolean,
    redemption: RedemptionRow,
    ledger: {
      customer: string;
      organization: string;
      amount_minor: number;
      currency: string;
      reason: string;
      redemption_id: string;
      created_at: string;
    },
    organization: OrganizationRecord,
  ): Promise<number | undefined> {
    const result = await db.raw(
      `WITH claimed AS (
         UPDATE ${SLOTS}
            SET used = used + 1
          WHERE (voucher_id, slot) = (
                  SELECT voucher_id, slot FROM ${SLOTS}
                   WHERE voucher_id = ? AND open AND (capacity IS NULL OR used < capacity)
                   ORDER BY slot
                   LIMIT 1
                   FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''})
            AND open AND (capacity IS NULL OR used < capacity)
        RETURNING voucher_id, slot
       ), redemption AS (
         INSERT INTO ${REDEMPTIONS}
           (id, voucher_id, customer, customer_key, organization, credit_minor, currency, status, redeemed_at,
            rolled_back_at)
         SELECT ?, voucher_id, ?, ?, ?, ?, ?, 'granted', ?, NULL FROM claimed
         RETURNING id
       ), ledger AS (
         INSERT INTO ${LEDGER}
           (customer, organization, amount_minor, currency, reason, redemption_id, created_at)
         SELECT ?, ?, ?, ?, ?, id, ? FROM redemption
       ), organization AS (
         INSERT INTO ${ORGANIZATIONS_TABLE} (sovereign, slug, name, owner, redemption_id, created_at, first_app)
         SELECT ?, ?, ?, ?, id, ?, ? FROM redemption
       )
       SELECT (SELECT COALESCE(SUM(s.used), 0) FROM ${SLOTS} s WHERE s.voucher_id = claimed.voucher_id) + 1
                AS times_redeemed
         FROM claimed`,
      [
        voucherId,
        redemption.id,
        redemption.customer,
        redemption.customer_key,
        redemption.organization,
        redemption.credit_minor,
        redemption.currency,
        redemption.redeemed_at,
        ledger.customer,
        ledger.organization,
        ledger.amount_minor,
        ledger.currency,
        ledger.reason,
        ledger.created_at,
        organization.sovereign,
        organization.slug,
        organization.name,
        organization.owner,
        organization.createdAt,
        organization.firstApp ?? null,
      ],
    );
    const row = (result.rows as Array<{ times_redeemed: unknown }>)[0];
    return row ? Number(row.times_redeemed) : undefined;
  }

  /**
   * Undoes a redemption whose follow-up (the first app's install commit) failed: the counter goes back, the
   * credit is reversed by a compensating ledger entry, the Organization it created is removed, and the
   * customer may redeem the code again. The redemption row stays, marked rolled back.
   */
  async rollback(redemptionId: string): Promise<RollbackResult> {
    return this.db.transaction(async trx => {
      let query = trx<RedemptionRow>(REDEMPTIONS).where({ id: redemptionId });
      if (this.rowLocks) query = query.forUpdate();
      const row = await query.first();
      if (!row) {
        throw new NotFoundError(`There is no redemption '${redemptionId}'`);
      }
      if (row.status !== 'granted') {
        throw new ConflictError(
          `Redemption '${redemptionId}' was already rolled back`,
        );
      }
      const at = this.now().toISOString();
      // Serialised with a change of the cap (which re-splits the slots) by the voucher row's lock.
      let lock = trx<VoucherColumns>(VOUCHERS).where({ id: row.voucher_id });
      if (this.rowLocks) lock = lock.forNoKeyUpdate();
      await lock.first('id');
      // The redemption is given back to a slot that holds one (which slot does not matter: the count is the sum).
      let held = trx<SlotRow>(SLOTS)
        .where({ voucher_id: row.voucher_id })
        .andWhere('used', '>', 0)
        .orderBy('slot')
        .limit(1);
      if (this.rowLocks) held = held.forUpdate();
      const slot = await held.first('slot');
      if (slot) {
        await trx(SLOTS)
          .where({ voucher_id: row.voucher_id, slot: slot.slot })
          .update({ used: trx.raw('used - 1') });
      }
      await trx(VOUCHERS)
        .where({ id: row.voucher_id })
        .update({ updated_at: at });
      await trx(REDEMPTIONS).where({ id: row.id }).update({
        status: 'rolled-back',
        customer_key: null,
        rolled_back_at: at,
      });
      await trx(LEDGER).insert({
        customer: row.customer,
        organization: row.organization,
        amount_minor: -Number(row.credit_minor),
        currency: row.currency,
        reason: `voucher-rollback:${row.voucher_id}`,
        redemption_id: row.id,
        created_at: at,
      });
      const organization = await OrganizationStore.deleteCreatedBy(trx, row.id);
      const voucher = (await this.load(trx, row.voucher_id))!;
      return { redemption: this.toRedemption(row), voucher, organization };
    });
  }

  /** A customer's credit balance per currency, in major units (sum of the ledger). */
  async balance(customer: string): Promise<Credit[]> {
    const rows = await this.db(LEDGER)
      .where({ customer })
      .groupBy('currency')
      .select('currency')
      .sum({ total: 'amount_minor' });
    return (rows as Array<{ currency: string; total: unknown }>)
      .map(r => ({
        amount: creditFromMinor(Number(r.total), String(r.currency)),
        currency: String(r.currency),
      }))
      .sort((a, b) => a.currency.localeCompare(b.currency));
  }
}
