import execa from 'execa';
import fs from 'node:fs/promises';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { exampleReleases } from './exampleSovereign';
import { createGitopsCommitAction } from './gitopsCommit';
import { createOverlayRenderAction } from './overlayRender';

describe('catalyst:gitops:commit', () => {
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
  });
  afterEach(() => env.cleanup());

  const run = (input: Record<string, unknown>) => {
    const context = createActionContext({
      input,
      workspacePath: env.workspacePath,
    });
    return {
      promise: createGitopsCommitAction({ repository: env.repository }).handler(
        context.ctx,
      ),
      ...context,
    };
  };

  it('commits the rendered overlay and makes no second commit on a retry', async () => {
    const first = run({ fqdn: 'omantel.omani.works' });
    await first.promise;
    const head = (
      await execa('git', ['rev-parse', 'main'], { cwd: env.remote })
    ).stdout;
    expect(first.outputs).toMatchObject({
      commitSha: head,
      changed: true,
      path: 'clusters/omantel.omani.works',
      branch: 'main',
      overlayUrl: `file://${env.remote}//clusters/omantel.omani.works?ref=main`,
      browsable: false,
      gitCommand: `git --git-dir=${env.remote} show --stat ${head} -- clusters/omantel.omani.works`,
    });
    // The command the task page offers for a local repository shows the commit as it is.
    const shown = await execa('sh', ['-c', first.outputs.gitCommand as string]);
    expect(shown.stdout).toContain(head);
    expect(shown.stdout).toContain('/bootstrap-kit/01-cilium.yaml');
    const files = (
      await execa('git', ['ls-tree', '-r', '--name-only', 'main'], {
        cwd: env.remote,
      })
    ).stdout;
    expect(files).toContain(
      'clusters/omantel.omani.works/bootstrap-kit/01-cilium.yaml',
    );
    const again = run({ fqdn: 'omantel.omani.works' });
    await again.promise;
    expect(again.outputs).toMatchObject({ commitSha: head, changed: false });
  });

  it('renders the overlay again when a recovered task resumes with an empty workspace', async () => {
    await run({ fqdn: 'omantel.omani.works' }).promise;
    const head = (
      await execa('git', ['rev-parse', 'main'], { cwd: env.remote })
    ).stdout;
    // Another replica picks the task up: its workspace has none of the files the render step wrote.
    await fs.rm(`${env.workspacePath}/clusters`, {
      recursive: true,
      force: true,
    });
    const withoutReleases = run({ fqdn: 'omantel.omani.works' });
    await expect(withoutReleases.promise).rejects.toThrow(/does not exist/);

    const context = createActionContext({
      input: { fqdn: 'omantel.omani.works', releases: exampleReleases },
      workspacePath: env.workspacePath,
    });
    await createGitopsCommitAction({
      repository: env.repository,
      releaseValues: env.releaseValues,
    }).handler(context.ctx);
    // Same rendering, same tree: nothing to commit, the overlay stays the one committed before the crash.
    expect(context.outputs).toMatchObject({ commitSha: head, changed: false });
  });

  it('renders the certificate issuers again for a recovered task that had them', async () => {
    const tls = {
      servers: {
        'letsencrypt-production': 'https://acme.example.test/directory',
        'letsencrypt-staging': 'https://acme-staging.example.test/directory',
      },
      issuer: 'letsencrypt-production' as const,
    };
    const tlsInput = {
      dns01: {
        zone: 'omantel.omani.works.',
        nameserver: 'ns1.openova.io:53',
        keyName: 'sovereign-omantel-omani-works',
        algorithm: 'hmac-sha256',
      },
      email: 'admin@example.test',
    };
    const rendered = createActionContext({
      input: {
        fqdn: 'omantel.omani.works',
        releases: exampleReleases,
        ...tlsInput,
      },
      workspacePath: env.workspacePath,
    });
    await createOverlayRenderAction({
      releaseValues: env.releaseValues,
      tls,
    }).handler(rendered.ctx);
    await run({ fqdn: 'omantel.omani.works' }).promise;
    const head = (
      await execa('git', ['rev-parse', 'main'], { cwd: env.remote })
    ).stdout;
    const committed = (
      await execa('git', ['grep', '-l', 'kind: ClusterIssuer', 'main'], {
        cwd: env.remote,
      })
    ).stdout;
    expect(committed).toContain('clusters/omantel.omani.works/');

    await fs.rm(`${env.workspacePath}/clusters`, {
      recursive: true,
      force: true,
    });
    const recovered = createActionContext({
      input: {
        fqdn: 'omantel.omani.works',
        releases: exampleReleases,
        ...tlsInput,
      },
      workspacePath: env.workspacePath,
    });
    await createGitopsCommitAction({
      repository: env.repository,
      releaseValues: env.releaseValues,
      tls,
    }).handler(recovered.ctx);
    // The overlay rendered again keeps its issuers and certificate: the same tree, no new commit.
    expect(recovered.outputs).toMatchObject({
      commitSha: head,
      changed: false,
    });
  });

  it('removes the overlay in remove mode', async () => {
    await run({ fqdn: 'omantel.omani.works' }).promise;
    const removed = run({
      fqdn: 'omantel.omani.works',
      mode: 'remove',
      message: 'Decommission omantel',
    });
    await removed.promise;
    expect(removed.outputs.changed).toBe(true);
    const log = (
      await execa('git', ['log', '-1', '--format=%s', 'main'], {
        cwd: env.remote,
      })
    ).stdout;
    expect(log).toBe('Decommission omantel');
    const tree = (
      await execa('git', ['ls-tree', '-r', '--name-only', 'main'], {
        cwd: env.remote,
      })
    ).stdout;
    expect(tree).toBe('');
  });

  it('refuses a source path outside the workspace', async () => {
    await expect(
      run({ fqdn: 'omantel.omani.works', sourcePath: '../../etc' }).promise,
    ).rejects.toThrow(/outside/i);
  });
});

describe('catalyst:gitops:commit with a subpath', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  it('writes only clusters/<fqdn>/<subpath> and keeps the committed overlay', async () => {
    const fqdn = 'omantel.omani.works';
    const render = createActionContext({
      input: { fqdn, releases: exampleReleases },
      workspacePath: env.workspacePath,
    });
    await createOverlayRenderAction({
      releaseValues: env.releaseValues,
    }).handler(render.ctx);
    const action = createGitopsCommitAction({ repository: env.repository });
    await action.handler(
      createActionContext({ input: { fqdn }, workspacePath: env.workspacePath })
        .ctx,
    );
    const before = (
      await execa('git', ['ls-tree', '-r', 'main', `clusters/${fqdn}`], {
        cwd: env.remote,
      })
    ).stdout;

    // A later task's workspace holds only the tenant folder.
    const tenantDir = `${env.workspacePath}/tenant/acme`;
    await fs.mkdir(tenantDir, { recursive: true });
    await fs.writeFile(
      `${tenantDir}/kustomization.yaml`,
      'resources: [namespace.yaml]\n',
    );
    await fs.writeFile(
      `${tenantDir}/namespace.yaml`,
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: acme\n',
    );
    const tenant = createActionContext({
      input: { fqdn, subpath: 'tenants/acme', sourcePath: 'tenant/acme' },
      workspacePath: env.workspacePath,
    });
    await action.handler(tenant.ctx);
    expect(tenant.outputs).toMatchObject({
      changed: true,
      path: `clusters/${fqdn}/tenants/acme`,
    });
    const after = (
      await execa('git', ['ls-tree', '-r', 'main', `clusters/${fqdn}`], {
        cwd: env.remote,
      })
    ).stdout.split('\n');
    // Every file of the overlay is still there, byte for byte, except the root kustomization, which now lists
    // the tenants folder.
    for (const line of before.split('\n')) {
      if (line.endsWith(`clusters/${fqdn}/kustomization.yaml`)) continue;
      expect(after).toContain(line);
    }
    const root = (
      await execa('git', ['show', `main:clusters/${fqdn}/kustomization.yaml`], {
        cwd: env.remote,
      })
    ).stdout;
    expect(root).toMatch(/- tenants$/m);
    expect(
      (
        await execa('git', ['log', '-1', '--format=%s', 'main'], {
          cwd: env.remote,
        })
      ).stdout,
    ).toBe(`Add tenants/acme of Sovereign ${fqdn} (task task-1)`);
  });
});
