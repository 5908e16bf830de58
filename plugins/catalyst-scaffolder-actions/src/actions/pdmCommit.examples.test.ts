import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createPdmCommitAction } from './pdmCommit';
import { examples } from './pdmCommit.examples';

describe('catalyst:pdm:commit examples', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const input = yaml.parse(example.example).steps[0].input;
    // The example's token is the one PDM handed out on reserve.
    env.apis.allocations.set(
      `${input.domain.subdomain}.${input.domain.poolDomain}`,
      {
        state: 'reserved',
        reservationToken: input.reservationToken,
      },
    );
    const { ctx, outputs } = createActionContext({
      input,
      workspacePath: env.workspacePath,
    });
    await createPdmCommitAction({ pdm: env.pdm, keeper: env.keeper }).handler(
      ctx,
    );
    expect(outputs.recordsWritten).toBe(true);
    expect(env.apis.allocations.get(input.fqdn).state).toBe('active');
  });
});
