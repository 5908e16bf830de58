import { mockServices } from '@backstage/backend-test-utils';
import execa from 'execa';
import knexFactory from 'knex';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';
import { PoolAllocationClient } from '../clients/PoolAllocationClient';
import { ScaffolderTaskClient } from '../clients/ScaffolderTaskClient';
import { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { loadReleaseValues } from '../overlay/releaseValues';
import { ProvisioningCompensation } from '../provisioning/ProvisioningCompensation';
import { ReservationKeeper } from '../provisioning/ReservationKeeper';
import { FakeCatalystApis } from './FakeCatalystApis';

const data = loadCatalystData();
const releaseValues = loadReleaseValues();

/**
 * Everything an action needs, wired like module.ts does it, against FakeCatalystApis over HTTP, a real bare
 * GitOps repository and a temporary workspace.
 */
export async function createActionTestEnvironment() {
  const apis = new FakeCatalystApis();
  await apis.start();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'catalyst-actions-'));
  const workspacePath = path.join(root, 'workspace');
  await fs.mkdir(workspacePath);
  const remote = path.join(root, 'gitops.git');
  await execa('git', [
    'init',
    '--quiet',
    '--bare',
    '--initial-branch=main',
    remote,
  ]);

  const deps = { discovery: apis.discovery, auth: mockServices.auth() };
  // Allows everything, like a platform admin initiator; tests of refusals pass their own.
  const permissions = mockServices.permissions();
  const logger = mockServices.logger.mock();
  const pdm = new PoolAllocationClient(deps);
  const registry = new SovereignRegistryClient(deps);
  const tasks = new ScaffolderTaskClient(deps);
  const compensation = new ProvisioningCompensation({ pdm, registry, logger });
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const keeper = await ReservationKeeper.create({
    database: { getClient: async () => db },
    pdm,
    compensation,
    taskStatus: id => tasks.getStatus(id),
    logger,
  });
  const repository = () =>
    new GitOpsRepository({
      repoUrl: `file://${remote}`,
      branch: 'main',
      author: { name: 'Catalyst', email: 'catalyst@example.com' },
      logger,
    });

  return {
    apis,
    pdm,
    registry,
    permissions,
    compensation,
    keeper,
    repository,
    remote,
    workspacePath,
    data: () => data,
    releaseValues: () => releaseValues,
    async cleanup() {
      await db.destroy();
      await apis.stop();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

export type ActionTestEnvironment = Awaited<
  ReturnType<typeof createActionTestEnvironment>
>;
