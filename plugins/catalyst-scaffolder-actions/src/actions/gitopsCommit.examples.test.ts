import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { exampleReleases } from './exampleSovereign';
import { createGitopsCommitAction } from './gitopsCommit';
import { examples } from './gitopsCommit.examples';
import { createOverlayRenderAction } from './overlayRender';

describe('catalyst:gitops:commit examples', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
    const { ctx } = createActionContext({
      input: { fqdn: 'omantel.omani.works', releases: exampleReleases },
      workspacePath: env.workspacePath,
    });
    await createOverlayRenderAction({
      releaseValues: env.releaseValues,
    }).handler(ctx);
    await env.repository().writeOverlay({
      fqdn: 'omantel.omani.works',
      sourceDir: `${env.workspacePath}/clusters/omantel.omani.works`,
      message: 'seed',
    });
  });
  afterEach(() => env.cleanup());

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const input = yaml.parse(example.example).steps[0].input;
    const { ctx, outputs } = createActionContext({
      input,
      workspacePath: env.workspacePath,
    });
    await createGitopsCommitAction({ repository: env.repository }).handler(ctx);
    expect(outputs.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(outputs.changed).toBe(input.mode === 'remove');
  });
});
