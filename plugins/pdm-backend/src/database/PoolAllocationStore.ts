import { createHash, randomUUID } from 'node:crypto';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { PdmApiError } from '../service/PdmApiError';

const migrationsDir = resolvePackagePath(
  '@catalyst/plugin-pdm-backend',
  'migrations',
);

/** One row of pool_allocations, as the API shows it (docs/pdm.md §2). */
export interface PoolAllocation {
  poolDomain: string;
  subdomain: string;
  state: 'reserved' | 'active';
  reservedAt: string;
  expiresAt: string | null;
  sovereignFQDN: string | null;
  loadBalancerIP: string | null;
  createdBy: string;
  /** The owning group of the Sovereign this allocation belongs to; null for rows from before ownership. */
  owner: string | null;
  /** Present (true) while a release or the sweeper is tearing the allocation's DNS down; the name stays taken. */
  releasing?: true;
}

/** A fresh reservation: the only time a token leaves PDM. */
export interface Reservation extends PoolAllocation {
  reservationToken: string;
}

interface Row {
  pool_domain: string;
  subdomain: string;
  state: 'reserved' | 'active';
  reserved_at: Date | string | number;
  expires_at: Date | string | number | null;
  sovereign_fqdn: string | null;
  load_balancer_ip: string | null;
  reservation_token: string | null;
  token_sha256: string | null;
  created_by: string;
  owner: string | null;
  /** The claim of the release or sweep tearing the DNS down; null when no teardown is under way. */
  releasing_id?: string | null;
  /** The claim's lease: past it, a retried release or the next sweep takes the claim over. */
  releasing_until?: Date | string | number | null;
}

/**
 * What a release must show (docs/ownership-and-keys.md): the reservation token of the task that reserved the name
 * (its hash outlives the commit), or, for an active allocation, the Sovereign it serves and that Sovereign's owner.
 */
export interface ReleaseProof {
  reservationToken?: string;
  sovereignFQDN?: string;
  owner?: string;
}

export interface AllocationKey {
  poolDomain: string;
  subdomain: string;
}

/** How long a reservation whose DNS is still being created may stay pending before the sweeper may take it. */
const PENDING_MS = 2 * 60 * 1000;

/**
 * How long a release or sweep may hold its claim on a row while it tears the DNS down. Longer than the worst case
 * of three PowerDNS calls with their retries and timeouts; a failed teardown hands the claim back at once.
 */
export const RELEASE_LEASE_MS = 5 * 60 * 1000;

/** A row claimed for teardown: the DNS work is the claimant's, then {@link PoolAllocationStore.finishRelease}. */
export interface ReleaseClaim {
  allocation: PoolAllocation;
  claim: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

function sha256(token: string): string {
  return createHash('sha256').update(token.toLowerCase()).digest('hex');
}

function toAllocation(row: Row): PoolAllocation {
  const releasing = row.releasing_id ? { releasing: true as const } : {};
  return {
    poolDomain: row.pool_domain,
    subdomain: row.subdomain,
    state: row.state,
    reservedAt: toDate(row.reserved_at).toISOString(),
    expiresAt: row.expires_at ? toDate(row.expires_at).toISOString() : null,
    sovereignFQDN: row.sovereign_fqdn,
    loadBalancerIP: row.load_balancer_ip,
    createdBy: row.created_by,
    owner: row.owner ?? null,
    ...releasing,
  };
}

/** Throws 403 unless `proof` entitles its holder to release `row`. */
function checkReleaseProof(row: Row, proof: ReleaseProof) {
  const fqdn = `${row.subdomain}.${row.pool_domain}`;
  const token = proof.reservationToken?.trim();
  if (token) {
    if (UUID.test(token) && row.token_sha256 === sha256(token)) return;
    throw new PdmApiError(
      403,
      'token-mismatch',
      `the reservation token does not match the allocation of ${fqdn}`,
    );
  }
  if (row.state === 'reserved') {
    throw new PdmApiError(
      403,
      'missing-token',
      `${fqdn} is reserved by a running provisioning task; only its reservation token releases it`,
    );
  }
  const sameSovereign =
    proof.sovereignFQDN !== undefined &&
    proof.sovereignFQDN === (row.sovereign_fqdn ?? fqdn);
  const sameOwner = row.owner === null || proof.owner === row.owner;
  if (!sameSovereign || !sameOwner) {
    throw new PdmApiError(
      403,
      'not-owner',
      `${fqdn} is active for another Sovereign; release it with its reservation token or as its owning Sovereign (sovereignFQDN and owner)`,
    );
  }
}

export type CommitOutcome =
  /** The reservation became active just now. */
  | 'committed'
  /** The row was already active for the same token and IP: a retry after a partial failure. */
  | 'retried';

/**
 * pool_allocations on SQLite or PostgreSQL. Every state change is one conditional statement (or
 * a transaction holding the row), so concurrent callers and the sweeper never both win.
 */
export class PoolAllocationStore {
  static async create(database: DatabaseService): Promise<PoolAllocationStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new PoolAllocationStore(knex);
  }

  constructor(private readonly db: Knex) {}

  /** The knex client, for the BYO zone store that shares this database. */
  get client(): Knex {
    return this.db;
  }

  async ping(): Promise<void> {
    await this.db('pool_allocations').select(this.db.raw('1')).limit(1);
  }

  async get(key: AllocationKey): Promise<PoolAllocation | undefined> {
    const row = await this.db<Row>('pool_allocations')
      .where({ pool_domain: key.poolDomain, subdomain: key.subdomain })
      .first();
    return row ? toAllocation(row) : undefined;
  }

  /** Every row of a pool ordered by subdomain; tokens never leave this method. */
  async list(poolDomain: string): Promise<PoolAllocation[]> {
    const rows = await this.db<Row>('pool_allocations')
      .where({ pool_domain: poolDomain })
      .orderBy('subdomain', 'asc');
    return rows.map(toAllocation);
  }

  /**
   * Reserves in three short steps, none holding a transaction across the DNS work:
   *
   * 1. a pending row is committed: state `reserved`, a fresh token, and an expiry of only `pendingMs` (a name
   *    is taken from this moment; the token has not left PDM, so nobody can commit it yet);
   * 2. `provision` does the DNS work;
   * 3. the row is promoted to its real expiry, on condition that it is still this reservation. If `provision`
   *    failed the row is removed (provision cleans up its own DNS); if a concurrent release or sweep removed the
   *    row meanwhile, `undo` removes what provision created and the reserve fails with a conflict.
   *
   * A process that dies between 1 and 3 leaves a pending row that expires after `pendingMs`; the sweeper then
   * tears its DNS down like any expired reservation, so nothing is orphaned on either side. An expired,
   * unswept reservation of the key is replaced.
   *
   * With `idempotent`, reserve is idempotent for its creator (docs/recovery.md): a caller whose `createdBy` matches
   * a live reservation of the key gets that reservation back, token included, instead of a conflict — a provisioning
   * task whose backend died between PDM's answer and the task's checkpoint re-runs the step and finds its own
   * name. A pending row of the same creator past half its pending window (its backend died during the DNS work)
   * is taken over: a fresh token replaces the lost one and the DNS work runs again from scratch. Only service principals and admins
   * may set `createdBy` (PDM's mutating routes refuse user tokens), so nobody else can claim a reservation.
   */
  async reserve(
    input: AllocationKey & {
      createdBy: string;
      owner?: string;
      ttlMs: number;
      now?: Date;
      pendingMs?: number;
      /** Answer the creator's own live reservation instead of a conflict (the caller named its `createdBy`). */
      idempotent?: boolean;
    },
    provision: (reservation: Reservation) => Promise<void>,
    undo: (reservation: Reservation) => Promise<void> = async () => {},
  ): Promise<Reservation> {
    const now = input.now ?? new Date();
    const token = randomUUID();
    const tokenSha = sha256(token);
    const key = { pool_domain: input.poolDomain, subdomain: input.subdomain };
    const row: Row = {
      ...key,
      state: 'reserved',
      reserved_at: now,
      expires_at: new Date(
        now.getTime() + Math.min(input.pendingMs ?? PENDING_MS, input.ttlMs),
      ),
      sovereign_fqdn: null,
      load_balancer_ip: null,
      // Pending: only the hash is stored until the row is promoted, so a pending row is told apart by its
      // missing token (and a token nobody received is never handed out).
      reservation_token: null,
      token_sha256: tokenSha,
      created_by: input.createdBy,
      owner: input.owner ?? null,
    };
    // The common case, a free name, takes one statement; only a taken name needs the transaction below.
    const fresh = await this.db<Row>('pool_allocations')
      .insert(row)
      .onConflict(['pool_domain', 'subdomain'])
      .ignore()
      .returning('subdomain');
    const own =
      fresh.length > 0
        ? undefined
        : await this.reserveTaken(input, row, key, now, tokenSha);
    if (own) return own;
    const pending: Reservation = {
      ...toAllocation(row),
      reservationToken: token,
    };
    const ours = () =>
      this.db<Row>('pool_allocations').where({
        ...key,
        state: 'reserved',
        token_sha256: tokenSha,
      });
    try {
      await provision(pending);
    } catch (error) {
      await ours().delete();
      throw error;
    }
    // The reservation's lifetime counts from reservedAt, as the API shows it.
    const expiresAt = new Date(now.getTime() + input.ttlMs);
    const promoted = await ours()
      .whereNull('reservation_token')
      .whereNull('releasing_id')
      .update({ expires_at: expiresAt, reservation_token: token });
    if (promoted !== 1) {
      // The zone is ours to remove only while no other reservation holds the name: a live row present now (the
      // creator's own run that took the pending row over, or a new reservation after a sweep) owns the zone. A
      // row being torn down is no owner; removing the zone twice is harmless.
      const current = await this.db<Row>('pool_allocations').where(key).first();
      if (!current || current.releasing_id) await undo(pending);
      throw new PdmApiError(
        409,
        'conflict',
        `${input.subdomain}.${input.poolDomain} was released while it was being reserved`,
      );
    }
    return { ...pending, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Reserve of a name whose row exists: an expired reservation nobody is tearing down is replaced; the creator's
   * own live reservation is answered or its stale pending row taken over (with `idempotent`); else 409.
   * Answers the reservation to return as it is, or undefined when the new pending row is in place.
   */
  private async reserveTaken(
    input: AllocationKey & { createdBy: string; idempotent?: boolean },
    row: Row,
    key: { pool_domain: string; subdomain: string },
    now: Date,
    tokenSha: string,
  ): Promise<Reservation | undefined> {
    return this.db.transaction(async trx => {
      await trx<Row>('pool_allocations')
        .where(key)
        .andWhere('state', 'reserved')
        .andWhere('expires_at', '<', now)
        .whereNull('releasing_id')
        .delete();
      const inserted = await trx<Row>('pool_allocations')
        .insert(row)
        .onConflict(['pool_domain', 'subdomain'])
        .ignore()
        .returning('subdomain');
      if (inserted.length > 0) return undefined;
      const existing = await trx<Row>('pool_allocations').where(key).first();
      if (existing?.releasing_id) {
        throw new PdmApiError(
          409,
          'conflict',
          `${input.subdomain}.${input.poolDomain} is being released; try again later`,
        );
      }
      if (
        input.idempotent &&
        existing &&
        existing.state === 'reserved' &&
        existing.created_by === input.createdBy &&
        existing.expires_at !== null &&
        toDate(existing.expires_at).getTime() >= now.getTime()
      ) {
        if (existing.reservation_token) {
          return {
            ...toAllocation(existing),
            reservationToken: existing.reservation_token,
          };
        }
        // The creator's own pending row. While it is young its first run may still be working (a concurrent
        // retry): that gets the conflict. Past half its pending window the DNS work is taken to have died with
        // its process, and the row is taken over under a new token.
        const reservedAt = toDate(existing.reserved_at).getTime();
        const pendingUntil = toDate(existing.expires_at).getTime();
        if (now.getTime() < reservedAt + (pendingUntil - reservedAt) / 2) {
          throw new PdmApiError(
            409,
            'conflict',
            `${input.subdomain}.${input.poolDomain} is still being reserved by ${input.createdBy}; try again later`,
          );
        }
        const claimed = await trx<Row>('pool_allocations')
          .where({
            ...key,
            state: 'reserved',
            token_sha256: existing.token_sha256,
            created_by: input.createdBy,
          })
          .whereNull('reservation_token')
          .whereNull('releasing_id')
          .update({
            token_sha256: tokenSha,
            reserved_at: now,
            expires_at: row.expires_at,
            owner: row.owner,
          });
        if (claimed === 1) return undefined;
      }
      throw new PdmApiError(
        409,
        'conflict',
        `${input.subdomain}.${input.poolDomain} is already reserved or active`,
      );
    });
  }

  /**
   * reserved → active, or recognises a retry of the same commit on an active row. One conditional UPDATE (still
   * reserved, same token, not expired, nobody tearing it down), so a sweeper or release that claimed the row and a
   * commit never both win; only a refused commit reads the row, to explain why in the reference's order:
   * not-found, already-active, reservation-expired, released, token-mismatch.
   */
  async commit(
    input: AllocationKey & {
      reservationToken: string;
      sovereignFQDN: string;
      loadBalancerIP: string;
      now?: Date;
    },
  ): Promise<{ allocation: PoolAllocation; outcome: CommitOutcome }> {
    const now = input.now ?? new Date();
    const tokenHash = UUID.test(input.reservationToken)
      ? sha256(input.reservationToken)
      : undefined;
    const key = { pool_domain: input.poolDomain, subdomain: input.subdomain };
    if (tokenHash !== undefined) {
      const [updated] = await this.db<Row>('pool_allocations')
        .where({ ...key, state: 'reserved', token_sha256: tokenHash })
        .andWhere('expires_at', '>', now)
        .whereNull('releasing_id')
        .update({
          state: 'active',
          expires_at: null,
          reservation_token: null,
          sovereign_fqdn: input.sovereignFQDN,
          load_balancer_ip: input.loadBalancerIP,
        })
        .returning('*');
      if (updated) {
        return { allocation: toAllocation(updated), outcome: 'committed' };
      }
    }
    const row = await this.db<Row>('pool_allocations').where(key).first();
    const fqdn = `${input.subdomain}.${input.poolDomain}`;
    if (!row) {
      throw new PdmApiError(404, 'not-found', `${fqdn} is not reserved`);
    }
    if (row.state === 'active' && !row.releasing_id) {
      if (
        tokenHash !== undefined &&
        row.token_sha256 === tokenHash &&
        row.load_balancer_ip === input.loadBalancerIP &&
        row.sovereign_fqdn === input.sovereignFQDN
      ) {
        return { allocation: toAllocation(row), outcome: 'retried' };
      }
      throw new PdmApiError(409, 'already-active', `${fqdn} is already active`);
    }
    if (
      row.state === 'reserved' &&
      (!row.expires_at || toDate(row.expires_at) <= now)
    ) {
      throw new PdmApiError(
        410,
        'reservation-expired',
        `the reservation of ${fqdn} expired at ${
          row.expires_at
            ? toDate(row.expires_at).toISOString()
            : 'an unknown time'
        }`,
      );
    }
    if (row.releasing_id) {
      throw new PdmApiError(
        410,
        'released',
        `${fqdn} is being released; reserve it again once it is free`,
      );
    }
    if (tokenHash === undefined || row.token_sha256 !== tokenHash) {
      throw new PdmApiError(
        403,
        'token-mismatch',
        `the reservation token does not match the reservation of ${fqdn}`,
      );
    }
    // The row changed between the update and the read (a concurrent commit, release or renew): say so.
    throw new PdmApiError(
      409,
      'conflict',
      `the reservation of ${fqdn} changed during the commit; retry it`,
    );
  }

  /** Moves a live reservation's expiry to now + ttl. */
  async renew(
    input: AllocationKey & {
      reservationToken: string;
      ttlMs: number;
      now?: Date;
    },
  ): Promise<PoolAllocation> {
    const now = input.now ?? new Date();
    const fqdn = `${input.subdomain}.${input.poolDomain}`;
    const tokenHash = UUID.test(input.reservationToken)
      ? sha256(input.reservationToken)
      : undefined;
    const expiresAt = new Date(now.getTime() + input.ttlMs);
    if (tokenHash !== undefined) {
      const [updated] = await this.db<Row>('pool_allocations')
        .where({
          pool_domain: input.poolDomain,
          subdomain: input.subdomain,
          state: 'reserved',
          token_sha256: tokenHash,
        })
        .andWhere('expires_at', '>', now)
        .whereNull('releasing_id')
        .update({ expires_at: expiresAt })
        .returning('*');
      if (updated) return toAllocation(updated);
    }
    // Explain why it was refused, in the same order as commit.
    const row = await this.db<Row>('pool_allocations')
      .where({ pool_domain: input.poolDomain, subdomain: input.subdomain })
      .first();
    if (!row)
      throw new PdmApiError(404, 'not-found', `${fqdn} is not reserved`);
    if (row.state === 'active') {
      throw new PdmApiError(409, 'already-active', `${fqdn} is already active`);
    }
    if (!row.expires_at || toDate(row.expires_at) <= now) {
      throw new PdmApiError(
        410,
        'reservation-expired',
        `the reservation of ${fqdn} has expired; reserve it again`,
      );
    }
    if (row.releasing_id) {
      throw new PdmApiError(410, 'released', `${fqdn} is being released`);
    }
    throw new PdmApiError(
      403,
      'token-mismatch',
      `the reservation token does not match the reservation of ${fqdn}`,
    );
  }

  /**
   * Claims the key's row for a release: checks `proof` (403 on a mismatch), then marks the row as being released
   * under a fresh claim with a lease, in one conditional UPDATE, and commits. The DNS teardown that follows runs
   * outside any transaction; the row keeps the name meanwhile (no reserve, commit or renew gets through), and
   * {@link finishRelease} deletes it afterwards. A row another release or sweep is tearing down within its lease
   * is answered as `inProgress`; a claim whose lease ran out (its holder died or failed) is taken over.
   * Without a row, answers `{}`.
   */
  async claimRelease(
    key: AllocationKey,
    proof?: ReleaseProof,
    options: { now?: Date; leaseMs?: number } = {},
  ): Promise<
    | ReleaseClaim
    | { allocation: PoolAllocation; inProgress: true }
    | { allocation?: undefined }
  > {
    const now = options.now ?? new Date();
    const claim = randomUUID();
    const lease = {
      releasing_id: claim,
      releasing_until: new Date(
        now.getTime() + (options.leaseMs ?? RELEASE_LEASE_MS),
      ),
    };
    const where = { pool_domain: key.poolDomain, subdomain: key.subdomain };
    const claimable = (q: Knex.QueryBuilder) =>
      q
        .whereNull('releasing_id')
        .orWhere('releasing_until', '<', now)
        .orWhereNull('releasing_until');
    const token = proof?.reservationToken?.trim();
    if (token && UUID.test(token)) {
      // The common case, a release with the reservation token: the proof is part of the one UPDATE.
      const [claimed] = await this.db<Row>('pool_allocations')
        .where({ ...where, token_sha256: sha256(token) })
        .andWhere(claimable)
        .update(lease)
        .returning('*');
      if (claimed) return { allocation: toAllocation(claimed), claim };
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await this.db<Row>('pool_allocations').where(where).first();
      if (!row) return {};
      if (proof) checkReleaseProof(row, proof);
      if (
        row.releasing_id &&
        row.releasing_until &&
        toDate(row.releasing_until) >= now
      ) {
        return { allocation: toAllocation(row), inProgress: true };
      }
      // Only the row as it was checked: a concurrent commit, renew or claim in between makes this a no-op.
      let update = this.db<Row>('pool_allocations').where({
        ...where,
        state: row.state,
      });
      update =
        row.token_sha256 === null
          ? update.whereNull('token_sha256')
          : update.andWhere('token_sha256', row.token_sha256);
      update = row.releasing_id
        ? update.andWhere('releasing_id', row.releasing_id)
        : update.whereNull('releasing_id');
      const [claimed] = await update.update(lease).returning('*');
      if (claimed) return { allocation: toAllocation(claimed), claim };
    }
    throw new PdmApiError(
      409,
      'conflict',
      `${key.subdomain}.${key.poolDomain} kept changing during the release; retry it`,
    );
  }

  /**
   * Takes the name of a key that has no row, for tearing down DNS left behind without one: a row marked as being
   * released, so a concurrent reserve gets 409 until {@link finishRelease}. Undefined when a row appeared.
   */
  async claimFreeName(
    key: AllocationKey,
    options: { now?: Date; leaseMs?: number } = {},
  ): Promise<string | undefined> {
    const now = options.now ?? new Date();
    const claim = randomUUID();
    const inserted = await this.db<Row>('pool_allocations')
      .insert({
        pool_domain: key.poolDomain,
        subdomain: key.subdomain,
        state: 'reserved',
        reserved_at: now,
        expires_at: now,
        sovereign_fqdn: null,
        load_balancer_ip: null,
        reservation_token: null,
        token_sha256: null,
        created_by: 'pdm-release',
        owner: null,
        releasing_id: claim,
        releasing_until: new Date(
          now.getTime() + (options.leaseMs ?? RELEASE_LEASE_MS),
        ),
      })
      .onConflict(['pool_domain', 'subdomain'])
      .ignore()
      .returning('subdomain');
    return inserted.length > 0 ? claim : undefined;
  }

  /** The teardown under `claim` finished: the row goes. False when the claim was taken over meanwhile. */
  async finishRelease(key: AllocationKey, claim: string): Promise<boolean> {
    const deleted = await this.db<Row>('pool_allocations')
      .where({
        pool_domain: key.poolDomain,
        subdomain: key.subdomain,
        releasing_id: claim,
      })
      .delete();
    return deleted === 1;
  }

  /**
   * The teardown under `claim` failed: the row stays marked as being released and its lease ends now, so a retried
   * release or the next sweep finishes the job.
   */
  async abandonRelease(
    key: AllocationKey,
    claim: string,
    now: Date = new Date(),
  ): Promise<void> {
    await this.db<Row>('pool_allocations')
      .where({
        pool_domain: key.poolDomain,
        subdomain: key.subdomain,
        releasing_id: claim,
      })
      .update({ releasing_until: now });
  }

  /**
   * Claims what the sweeper must tear down: expired reservations nobody is releasing, and rows whose release
   * stopped (a failed teardown, or a process that died mid-release) once their lease ran out. Each row is claimed
   * by a conditional UPDATE on the row as it was read, so a commit, a renew, a release or another sweeper that got
   * there first wins and the row is skipped.
   */
  async claimStale(
    options: { now?: Date; limit?: number; leaseMs?: number } = {},
  ): Promise<ReleaseClaim[]> {
    const now = options.now ?? new Date();
    const candidates = await this.db<Row>('pool_allocations')
      .where(q =>
        q
          .where(expired =>
            expired
              .where('state', 'reserved')
              .whereNull('releasing_id')
              .andWhere('expires_at', '<', now),
          )
          .orWhere(stalled =>
            stalled
              .whereNotNull('releasing_id')
              .andWhere(lease =>
                lease
                  .whereNull('releasing_until')
                  .orWhere('releasing_until', '<', now),
              ),
          ),
      )
      .limit(options.limit ?? 100);
    const claimed: ReleaseClaim[] = [];
    for (const candidate of candidates) {
      const claim = randomUUID();
      let update = this.db<Row>('pool_allocations').where({
        pool_domain: candidate.pool_domain,
        subdomain: candidate.subdomain,
        state: candidate.state,
      });
      update =
        candidate.token_sha256 === null
          ? update.whereNull('token_sha256')
          : update.andWhere('token_sha256', candidate.token_sha256);
      update = candidate.releasing_id
        ? update
            .andWhere('releasing_id', candidate.releasing_id)
            .andWhere(lease =>
              lease
                .whereNull('releasing_until')
                .orWhere('releasing_until', '<', now),
            )
        : update.whereNull('releasing_id').andWhere('expires_at', '<', now);
      const [row] = await update
        .update({
          releasing_id: claim,
          releasing_until: new Date(
            now.getTime() + (options.leaseMs ?? RELEASE_LEASE_MS),
          ),
        })
        .returning('*');
      if (row) claimed.push({ allocation: toAllocation(row), claim });
    }
    return claimed;
  }
}
