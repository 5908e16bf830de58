import execa from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { exampleReleases } from './exampleSovereign';
import { createOverlayRenderAction } from './overlayRender';

describe('catalyst:overlay:render', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  it('writes clusters/<fqdn>/ into the workspace and kubectl kustomize renders it', async () => {
    const { ctx, outputs } = createActionContext({
      input: { fqdn: 'omantel.omani.works', releases: exampleReleases },
      workspacePath: env.workspacePath,
    });
    await createOverlayRenderAction({
      releaseValues: env.releaseValues,
    }).handler(ctx);
    expect(outputs.path).toBe('clusters/omantel.omani.works');
    expect(outputs.files).toContain(
      'clusters/omantel.omani.works/bootstrap-kit/10-gitea.yaml',
    );
    const { stdout } = await execa('kubectl', [
      'kustomize',
      path.join(env.workspacePath, outputs.path),
    ]);
    expect(stdout).toContain('host: gitea.omantel.omani.works');
    expect(stdout).not.toMatch(/\$\{|SOVEREIGN_FQDN_PLACEHOLDER/);
  });

  it('writes nothing when a variable would survive', async () => {
    const releases = exampleReleases.map(r =>
      r.name === 'bp-gitea'
        ? { ...r, fqdnValues: { 'ingress.hosts[0].host': 'gitea.${DOMAIN}' } }
        : r,
    );
    const { ctx } = createActionContext({
      input: { fqdn: 'omantel.omani.works', releases },
      workspacePath: env.workspacePath,
    });
    await expect(
      createOverlayRenderAction({ releaseValues: env.releaseValues }).handler(
        ctx,
      ),
    ).rejects.toThrow(
      /Refusing to write the overlay: .*10-gitea\.yaml still contains "\$\{DOMAIN\}"/,
    );
    await expect(fs.readdir(env.workspacePath)).resolves.toEqual([]);
  });
});
