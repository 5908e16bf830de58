import { Knex } from 'knex';

export interface ByoZone {
  domain: string;
  createdBy: string;
  createdAt: string;
  loadBalancerIP: string | null;
  recordsAt: string | null;
}

interface Row {
  domain: string;
  created_by: string;
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

  /** Inserts the zone's row unless it exists; `provision` runs before the insert commits. */
  async upsert(
    domain: string,
    createdBy: string,
    provision: () => Promise<void>,
  ): Promise<ByoZone> {
    return this.db.transaction(async trx => {
      await trx<Row>('byo_zones')
        .insert({
          domain,
          created_by: createdBy,
          created_at: new Date(),
          load_balancer_ip: null,
          records_at: null,
        })
        .onConflict('domain')
        .ignore();
      await provision();
      return toZone((await trx<Row>('byo_zones').where({ domain }).first())!);
    });
  }

  async recordsWritten(domain: string, ip: string): Promise<void> {
    await this.db<Row>('byo_zones')
      .where({ domain })
      .update({ load_balancer_ip: ip, records_at: new Date() });
  }

  /** Deletes the row; `teardown` runs before the delete commits and its failure keeps the row. */
  async delete(
    domain: string,
    teardown: () => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const count = await trx<Row>('byo_zones').where({ domain }).delete();
      await teardown();
      return count > 0;
    });
  }
}
