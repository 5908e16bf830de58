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
}

interface Row {
  domain: string;
  created_by: string;
  sovereign_fqdn: string | null;
  owner: string | null;
  created_at: Date | string | number;
  load_balancer_ip: string | null;
  records_at: Date | string | number | null;
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
   * Inserts the zone's row unless it exists; `provision` runs before the insert commits. Answers the stored row,
   * which may be another creator's: the caller decides whether that is the same Sovereign.
   */
  async upsert(
    domain: string,
    owner: { createdBy: string; sovereignFQDN: string; owner: string | null },
    provision: (existing: ByoZone | undefined) => Promise<void>,
  ): Promise<ByoZone> {
    return this.db.transaction(async trx => {
      const inserted = await trx<Row>('byo_zones')
        .insert({
          domain,
          created_by: owner.createdBy,
          sovereign_fqdn: owner.sovereignFQDN,
          owner: owner.owner,
          created_at: new Date(),
          load_balancer_ip: null,
          records_at: null,
        })
        .onConflict('domain')
        .ignore()
        .returning('domain');
      const row = (await trx<Row>('byo_zones').where({ domain }).first())!;
      await provision(inserted.length === 0 ? toZone(row) : undefined);
      return toZone(row);
    });
  }

  async recordsWritten(domain: string, ip: string): Promise<void> {
    await this.db<Row>('byo_zones')
      .where({ domain })
      .update({ load_balancer_ip: ip, records_at: new Date() });
  }

  /**
   * Deletes the row; `authorize` sees it first and may refuse, `teardown` runs before the delete commits and its
   * failure keeps the row. Without a row nothing is touched (false): PDM never deletes a zone it does not track.
   */
  async delete(
    domain: string,
    authorize: (zone: ByoZone) => void,
    teardown: () => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      let query = trx<Row>('byo_zones').where({ domain }).first();
      if (this.db.client.dialect === 'postgresql') query = query.forUpdate();
      const row = await query;
      if (!row) return false;
      authorize(toZone(row));
      await trx<Row>('byo_zones').where({ domain }).delete();
      await teardown();
      return true;
    });
  }
}
