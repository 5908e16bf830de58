import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ReservationKeeper } from '../provisioning/ReservationKeeper';
import { ReplicaRegistry, REPLICA_STALE_MS } from './ReplicaRegistry';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
if (
  process.env.CATALYST_TEST_REQUIRE_POSTGRES &&
  !databases.supports('POSTGRES_15')
) {
  throw new Error(
    'CATALYST_TEST_REQUIRE_POSTGRES is set but POSTGRES_15 is not available',
  );
}

describe.each(databases.eachSupportedId())('ReplicaRegistry on %s', id => {
  it('answers alive while a replica beats, and not once it stopped or went silent', async () => {
    const db = await databases.init(id);
    // The migrations come with the keeper, as in the backend.
    await ReservationKeeper.create({
      database: { getClient: async () => db },
      pdm: {} as any,
      compensation: {} as any,
      taskStatus: async () => 'processing',
      logger: mockServices.logger.mock(),
    });
    let clock = 1_000_000;
    const a = new ReplicaRegistry(db, {
      replica: 'aaaaaaaa-11-ab',
      now: () => clock,
    });
    const b = new ReplicaRegistry(db, {
      replica: 'bbbbbbbb-22-cd',
      now: () => clock,
    });
    await a.start();
    await b.start();
    expect(await a.alive('bbbbbbbb-22-cd')).toBe(true);
    expect(await a.alive('cccccccc-33-ef')).toBe(false);

    // b is SIGKILLed: it stops beating; a goes on.
    clock += REPLICA_STALE_MS;
    await a.beat();
    expect(await a.alive('bbbbbbbb-22-cd')).toBe(false);
    expect(await b.alive('aaaaaaaa-11-ab')).toBe(true);

    await a.stop();
    expect(await b.alive('aaaaaaaa-11-ab')).toBe(false);
    await b.stop();
  });
});
