import { OrganizationRecord } from '@catalyst/plugin-catalyst-common';
import { Knex } from 'knex';
import { creditFromMinor } from '../vouchers/VoucherCredit';

const ORGANIZATIONS = 'catalyst_organizations';
const LEDGER = 'catalyst_credit_ledger';

type OrganizationRow = {
  sovereign: string;
  slug: string;
  name: string;
  owner: string;
  redemption_id: string | null;
  created_at: string;
  first_app?: string | null;
};

type CreditRow = { organization: string; currency: string; total: unknown };

/** `group:<sovereign name>/<slug>`: how the credit ledger names an Organization. */
function organizationRef(row: Pick<OrganizationRow, 'sovereign' | 'slug'>) {
  const sovereignName = row.sovereign.split('/').pop()!;
  return `group:${sovereignName}/${row.slug}`;
}

function toRecord(
  row: OrganizationRow,
  credit?: OrganizationRecord['credit'],
): OrganizationRecord {
  return {
    sovereign: row.sovereign,
    slug: row.slug,
    name: row.name,
    owner: row.owner,
    createdAt: row.created_at,
    ...(row.first_app ? { firstApp: row.first_app } : {}),
    ...(credit ? { credit } : {}),
  };
}

/**
 * Organizations (tenants) of the Sovereigns. They are created inside a voucher redemption's transaction, so
 * the writes take the caller's transaction; the table lives in the catalyst-backend database (migrations/).
 */
export class OrganizationStore {
  constructor(private readonly db: Knex) {}

  /** Every Organization with its credit (the sum of its ledger entries, per currency). */
  async list(): Promise<OrganizationRecord[]> {
    const rows = await this.db<OrganizationRow>(ORGANIZATIONS).orderBy([
      'sovereign',
      'slug',
    ]);
    const credits = await this.credits();
    return rows.map(row =>
      toRecord(row, credits.get(organizationRef(row)) ?? []),
    );
  }

  private async credits() {
    const rows = (await this.db(LEDGER)
      .whereNotNull('organization')
      .groupBy('organization', 'currency')
      .orderBy(['organization', 'currency'])
      .select('organization', 'currency')
      .sum({ total: 'amount_minor' })) as CreditRow[];
    const byOrganization = new Map<
      string,
      NonNullable<OrganizationRecord['credit']>
    >();
    for (const row of rows) {
      const list = byOrganization.get(row.organization) ?? [];
      list.push({
        // PostgreSQL answers SUM(integer) as a bigint string.
        amount: creditFromMinor(Number(row.total), row.currency),
        currency: row.currency,
      });
      byOrganization.set(row.organization, list);
    }
    return byOrganization;
  }

  async get(
    sovereign: string,
    slug: string,
  ): Promise<OrganizationRecord | undefined> {
    const row = await this.db<OrganizationRow>(ORGANIZATIONS)
      .where({ sovereign, slug })
      .first();
    if (!row) return undefined;
    return toRecord(
      row,
      (await this.credits()).get(organizationRef(row)) ?? [],
    );
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
      first_app: record.firstApp ?? null,
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
