import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createOverlayRenderAction } from './overlayRender';
import { examples } from './overlayRender.examples';

describe('catalyst:overlay:render examples', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const { ctx, outputs } = createActionContext({
      input: yaml.parse(example.example).steps[0].input,
      workspacePath: env.workspacePath,
    });
    await createOverlayRenderAction({
      releaseValues: env.releaseValues,
    }).handler(ctx);
    expect(outputs.files).toContain(`${outputs.path}/kustomization.yaml`);
  });
});
