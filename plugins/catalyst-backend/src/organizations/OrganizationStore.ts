import { OrganizationRecord } from '@catalyst/plugin-catalyst-common';
import { Knex } from 'knex';

const ORGANIZATIONS = 'catalyst_organizations';

type OrganizationRow = {
  sovereign: string;
  slug: string;
  name: string;
  owner: string;
  redemption_id: string | null;
  created_at: string;
};

function toRecord(row: OrganizationRow): OrganizationRecord {
  return {
    sovereign: row.sovereign,
    slug: row.slug,
    name: row.name,
    owner: row.owner,
    createdAt: row.created_at,
  };
}

/**
 * Organizations (tenants) of the Sovereigns. They are created inside a voucher redemption's transaction, so
 * the writes take the caller's transaction; the table lives in the catalyst-backend database (migrations/).
 */
export class OrganizationStore {
  constructor(private readonly db: Knex) {}

  async list(): Promise<OrganizationRecord[]> {
    const rows = await this.db<OrganizationRow>(ORGANIZATIONS).orderBy([
      'sovereign',
      'slug',
    ]);
    return rows.map(toRecord);
  }

  async get(
    sovereign: string,
    slug: string,
  ): Promise<OrganizationRecord | undefined> {
    const row = await this.db<OrganizationRow>(ORGANIZATIONS)
      .where({ sovereign, slug })
      .first();
    return row && toRecord(row);
  }

  static async exists(
    trx: Knex,
    sovereign: string,
    slug: string,
  ): Promise<boolean> {
    const row = await trx(ORGANIZATIONS)
      .where({ sovereign, slug })
      .first('slug');
    return Boolean(row);
  }

  static async insert(
    trx: Knex,
    record: OrganizationRecord,
    redemptionId: string | null,
  ): Promise<void> {
    await trx<OrganizationRow>(ORGANIZATIONS).insert({
      sovereign: record.sovereign,
      slug: record.slug,
      name: record.name,
      owner: record.owner,
      redemption_id: redemptionId,
      created_at: record.createdAt,
    });
  }

  /** Removes the Organization a redemption created (its rollback), returning what was removed. */
  static async deleteCreatedBy(
    trx: Knex.Transaction,
    redemptionId: string,
  ): Promise<OrganizationRecord | undefined> {
    const row = await trx<OrganizationRow>(ORGANIZATIONS)
      .where({ redemption_id: redemptionId })
      .first();
    if (!row) return undefined;
    await trx(ORGANIZATIONS)
      .where({ sovereign: row.sovereign, slug: row.slug })
      .delete();
    return toRecord(row);
  }
}
