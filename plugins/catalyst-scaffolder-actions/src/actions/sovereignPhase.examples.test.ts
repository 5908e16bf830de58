import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { exampleRequest } from './catalogRegisterSovereign.examples';
import { exampleDomain } from './exampleSovereign';
import { createSovereignPhaseAction } from './sovereignPhase';
import { examples } from './sovereignPhase.examples';

describe('catalyst:sovereign:phase examples', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
    env.apis.sovereigns.set('omantel-omani-works', {
      fqdn: 'omantel.omani.works',
      organization: 'Omantel',
      adminEmail: 'platform@omantel.om',
      topology: {
        template: 'solo',
        airgap: false,
        haEnabled: false,
        regions: [],
      },
      components: [],
      domain: exampleDomain,
      phase: 'ready',
      request: exampleRequest,
    });
  });
  afterEach(() => env.cleanup());

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const input = yaml.parse(example.example).steps[0].input;
    const { ctx, outputs } = createActionContext({
      input,
      workspacePath: env.workspacePath,
    });
    await createSovereignPhaseAction({
      registry: env.registry,
      permissions: env.permissions,
    }).handler(ctx);
    expect(outputs.fqdn).toBe('omantel.omani.works');
    expect(env.apis.sovereigns.get('omantel-omani-works').phase).toBe(
      input.phase,
    );
  });
});
