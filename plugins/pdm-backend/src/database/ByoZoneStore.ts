import { Knex } from 'knex';

export interface ByoZone {
  domain: string;
  /** The provisioning task (or principal) that created the zone. */
  createdBy: string;
  /** The Sovereign the zone serves and its owning group; null for zones from before ownership. */
  sovereignFQDN: string | null;
  owner: string | null;
  createdAt: string;
  loadBalancerIP: string | null;
  recordsAt: string | null;
  /** DNS work in flight on the zone, if any, with its claim and the claim's lease. */
  pending: ByoPending | null;
  pendingId: string | null;
  pendingUntil: string | null;
}

/**
 * DNS work on a BYO zone, marked on its row before PowerDNS is called (no transaction is held across the calls):
 * `creating` a new zone, `refreshing` an existing one for its creator (idempotent create), `deleting` it.
 */
export type ByoPending = 'creating' | 'refreshing' | 'deleting';

interface Row {
  domain: string;
  created_by: string;
  sovereign_fqdn: string | null;
  owner: string | null;
  created_at: Date | string | number;
  load_balancer_ip: string | null;
  records_at: Date | string | number | null;
  pending?: ByoPending | null;
  pending_id?: string | null;
  pending_until?: Date | string | number | null;
}

const iso = (v: Date | string | number) =>
  (v instanceof Date ? v : new Date(v)).toISOString();

function toZone(row: Row): ByoZone {
  return {
    domain: row.domain,
    createdBy: row.created_by,
    sovereignFQDN: row.sovereign_fqdn ?? null,
    owner: row.owner ?? null,
    createdAt: iso(row.created_at),
    loadBalancerIP: row.load_balancer_ip,
    recordsAt: row.records_at === null ? null : iso(row.records_at),
    pending: row.pending ?? null,
    pendingId: row.pending_id ?? null,
    pendingUntil: row.pending_until ? iso(row.pending_until) : null,
  };
}

/** Bring-your-own zones PDM created in PowerDNS (table byo_zones). */
export class ByoZoneStore {
  constructor(private readonly db: Knex) {}

  async get(domain: string): Promise<ByoZone | undefined> {
    const row = await this.db<Row>('byo_zones').where({ domain }).first();
    return row ? toZone(row) : undefined;
  }

  /**
   * Every zone equal to, above or below `domain` (`a.b.example` is below `b.example`). `domain` is a validated
   * name (a-z, 0-9, '-', '.'), so it holds no LIKE wildcard.
   */
  async overlapping(domain: string): Promise<ByoZone[]> {
    const labels = domain.split('.');
    const ancestors = labels
      .slice(1)
      .map((_, i) => labels.slice(i + 1).join('.'));
    const rows = await this.db<Row>('byo_zones')
      .whereIn('domain', [domain, ...ancestors])
      .orWhere('domain', 'like', `%.${domain}`);
    return rows.map(toZone);
  }

  /**
   * Inserts the zone's row marked `creating` under `claim` and commits it, so the name is taken before any
   * PowerDNS call. False when a row exists already.
   */
  async insertPending(
    domain: string,
    owner: { createdBy: string; sovereignFQDN: string; owner: string | null },
    claim: string,
    until: Date,
  ): Promise<boolean> {
    const inserted = await this.db<Row>('byo_zones')
      .insert({
        domain,
        created_by: owner.createdBy,
        sovereign_fqdn: owner.sovereignFQDN,
        owner: owner.owner,
        created_at: new Date(),
        load_balancer_ip: null,
        records_at: null,
        pending: 'creating',
        pending_id: claim,
        pending_until: until,
      })
      .onConflict('domain')
      .ignore()
      .returning('domain');
    return inserted.length > 0;
  }

  /**
   * Marks `seen` (the row as it was read) as having `work` in flight under `claim`, if it is unchanged: no other
   * claim was put on it meanwhile. A claim whose lease ran out by `now` may be taken over.
   */
  async claim(
    seen: ByoZone,
    work: ByoPending,
    claim: string,
    until: Date,
    now: Date = new Date(),
  ): Promise<boolean> {
    let query = this.db<Row>('byo_zones').where({ domain: seen.domain });
    query = seen.pendingId
      ? query
          .andWhere('pending_id', seen.pendingId)
          .andWhere('pending_until', '<', now)
      : query.whereNull('pending_id');
    const updated = await query.update({
      pending: work,
      pending_id: claim,
      pending_until: until,
    });
    return updated === 1;
  }

  /** The work under `claim` finished and the zone is in place: the marker goes. False when it was taken over. */
  async settle(domain: string, claim: string): Promise<boolean> {
    const updated = await this.db<Row>('byo_zones')
      .where({ domain, pending_id: claim })
      .update({ pending: null, pending_id: null, pending_until: null });
    return updated === 1;
  }

  /** The zone under `claim` is gone from PowerDNS (or was never made): the row goes. */
  async remove(domain: string, claim: string): Promise<boolean> {
    const deleted = await this.db<Row>('byo_zones')
      .where({ domain, pending_id: claim })
      .delete();
    return deleted === 1;
  }

  /** The work under `claim` failed half-way: its lease ends now, so a retry or the next sweep takes over. */
  async abandon(domain: string, claim: string, now = new Date()) {
    await this.db<Row>('byo_zones')
      .where({ domain, pending_id: claim })
      .update({ pending_until: now });
  }

  /** Rows whose DNS work stopped (its lease ran out): the sweeper finishes or undoes it. */
  async stale(now: Date = new Date(), limit = 100): Promise<ByoZone[]> {
    const rows = await this.db<Row>('byo_zones')
      .whereNotNull('pending_id')
      .andWhere('pending_until', '<', now)
      .limit(limit);
    return rows.map(toZone);
  }

  async recordsWritten(domain: string, ip: string): Promise<void> {
    await this.db<Row>('byo_zones')
      .where({ domain })
      .update({ load_balancer_ip: ip, records_at: new Date() });
  }
}
