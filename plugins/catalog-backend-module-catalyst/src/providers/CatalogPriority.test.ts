import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogPriority } from './CatalogPriority';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
if (
  process.env.CATALYST_TEST_REQUIRE_POSTGRES &&
  !databases.supports('POSTGRES_15')
) {
  throw new Error(
    'CATALYST_TEST_REQUIRE_POSTGRES is set but POSTGRES_15 is not available (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)',
  );
}

// Against a real catalog (both queues, with and without the priority): packages/backend-e2e/src/catalogPriority.test.ts.
describe.each(databases.eachSupportedId())(
  'catalog priority on a database without the catalog tables, %p',
  databaseId => {
    it('turns itself off at the first failure with one warning, then runs no statements', async () => {
      const knex = await databases.init(databaseId);
      const logger = mockServices.logger.mock();
      const priority = catalogPriority({
        database: mockServices.database({ knex }),
        logger,
      });

      const hurry = await priority.prepare('sovereign:default/a');
      await expect(hurry()).resolves.toBeUndefined();
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(String(logger.warn.mock.calls[0][0])).toContain(
        "Could not move changed entities to the front of the catalog's queues",
      );

      // Off for good: no further statements, no further warnings.
      const queries: string[] = [];
      knex.on('query', (q: { sql: string }) => queries.push(q.sql));
      await (
        await priority.prepare('sovereign:default/b')
      )();
      expect(queries).toEqual([]);
      expect(logger.warn).toHaveBeenCalledTimes(1);
    });
  },
);
