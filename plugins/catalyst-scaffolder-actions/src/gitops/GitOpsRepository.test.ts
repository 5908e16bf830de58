import { mockServices } from '@backstage/backend-test-utils';
import execa from 'execa';
import fs from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GitOpsRepository } from './GitOpsRepository';

const SECRET = 'ghs_0123456789abcdefSECRETTOKEN';

async function git(cwd: string, args: string[]): Promise<string> {
  return (await execa('git', args, { cwd })).stdout.trim();
}

// Real git over file://: several clones, commits and pushes per test, slow on a busy machine.
jest.setTimeout(60_000);
describe('GitOpsRepository (real bare repositories over file://)', () => {
  let root: string;
  let remote: string;
  let remoteUrl: string;
  let overlaySource: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-test-'));
    remote = path.join(root, 'remote.git');
    remoteUrl = `file://${remote}`;
    await execa('git', [
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      remote,
    ]);
    overlaySource = path.join(root, 'overlay');
    await fs.mkdir(path.join(overlaySource, 'bootstrap-kit'), {
      recursive: true,
    });
    await fs.writeFile(
      path.join(overlaySource, 'kustomization.yaml'),
      'resources: [bootstrap-kit]\n',
    );
    await fs.writeFile(
      path.join(overlaySource, 'bootstrap-kit', 'kustomization.yaml'),
      'resources: []\n',
    );
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  function repository(
    logger = mockServices.logger.mock(),
    credentials?: () => Promise<any>,
  ) {
    return new GitOpsRepository({
      repoUrl: remoteUrl,
      branch: 'main',
      author: { name: 'Catalyst', email: 'catalyst@example.com' },
      logger,
      credentials,
    });
  }

  it('creates the branch on an empty remote, then makes no commit when nothing changed', async () => {
    const repo = repository();
    const first = await repo.writeOverlay({
      fqdn: 'alpha.omani.works',
      sourceDir: overlaySource,
      message: 'Add Sovereign alpha.omani.works',
    });
    expect(first.changed).toBe(true);
    expect(first.path).toBe('clusters/alpha.omani.works');
    expect(await git(remote, ['rev-parse', 'main'])).toBe(first.commitSha);
    expect(
      await git(remote, [
        'show',
        'main:clusters/alpha.omani.works/bootstrap-kit/kustomization.yaml',
      ]),
    ).toBe('resources: []');
    expect(
      await git(remote, ['log', '-1', '--format=%an <%ae>|%s', 'main']),
    ).toBe('Catalyst <catalyst@example.com>|Add Sovereign alpha.omani.works');

    const again = await repo.writeOverlay({
      fqdn: 'alpha.omani.works',
      sourceDir: overlaySource,
      message: 'Add Sovereign alpha.omani.works',
    });
    expect(again).toEqual({ ...first, changed: false });
    expect(await git(remote, ['rev-list', '--count', 'main'])).toBe('1');
  });

  it('replaces the directory wholesale so removed files disappear', async () => {
    const repo = repository();
    await fs.writeFile(path.join(overlaySource, 'extra.yaml'), 'a: 1\n');
    await repo.writeOverlay({
      fqdn: 'alpha.omani.works',
      sourceDir: overlaySource,
      message: 'one',
    });
    await fs.rm(path.join(overlaySource, 'extra.yaml'));
    const second = await repo.writeOverlay({
      fqdn: 'alpha.omani.works',
      sourceDir: overlaySource,
      message: 'two',
    });
    expect(second.changed).toBe(true);
    const files = await git(remote, ['ls-tree', '-r', '--name-only', 'main']);
    expect(files.split('\n')).toEqual([
      'clusters/alpha.omani.works/bootstrap-kit/kustomization.yaml',
      'clusters/alpha.omani.works/kustomization.yaml',
    ]);
  });

  it('lands every commit when several writers race on the same branch', async () => {
    // Seed the branch so every writer starts from the same tip.
    await repository().writeOverlay({
      fqdn: 'seed.omani.works',
      sourceDir: overlaySource,
      message: 'seed',
    });
    const fqdns = [
      'a.omani.works',
      'b.omani.works',
      'c.omani.works',
      'd.omani.works',
    ];
    const results = await Promise.all(
      fqdns.map(fqdn =>
        repository().writeOverlay({
          fqdn,
          sourceDir: overlaySource,
          message: `Add ${fqdn}`,
        }),
      ),
    );
    expect(results.every(r => r.changed)).toBe(true);
    const dirs = await git(remote, ['ls-tree', '--name-only', 'main:clusters']);
    expect(dirs.split('\n').sort()).toEqual(
      [...fqdns, 'seed.omani.works'].sort(),
    );
    expect(await git(remote, ['rev-list', '--count', 'main'])).toBe('5');
    // Every reported sha is on the branch.
    for (const r of results) {
      await expect(
        git(remote, ['merge-base', '--is-ancestor', r.commitSha, 'main']),
      ).resolves.toBe('');
    }
  });

  it('removes an overlay with one commit and is a no-op the second time', async () => {
    const repo = repository();
    await repo.writeOverlay({
      fqdn: 'alpha.omani.works',
      sourceDir: overlaySource,
      message: 'add',
    });
    await repo.writeOverlay({
      fqdn: 'beta.omani.works',
      sourceDir: overlaySource,
      message: 'add',
    });
    const removed = await repo.removeOverlay({
      fqdn: 'alpha.omani.works',
      message: 'Decommission alpha',
    });
    expect(removed.changed).toBe(true);
    expect(await git(remote, ['ls-tree', '--name-only', 'main:clusters'])).toBe(
      'beta.omani.works',
    );
    const again = await repo.removeOverlay({
      fqdn: 'alpha.omani.works',
      message: 'Decommission alpha',
    });
    expect(again).toEqual({ ...removed, changed: false });
  });

  it('never puts the token in logs, messages or the URL', async () => {
    const logger = mockServices.logger.mock();
    const repo = repository(logger, async () => ({
      username: 'x-access-token',
      password: SECRET,
    }));
    await repo.writeOverlay({
      fqdn: 'alpha.omani.works',
      sourceDir: overlaySource,
      message: 'add',
    });
    const logged = JSON.stringify([
      ...(logger.info as jest.Mock).mock.calls,
      ...(logger.warn as jest.Mock).mock.calls,
      ...(logger.error as jest.Mock).mock.calls,
    ]);
    expect(logged).toContain('pushed');
    expect(logged).not.toContain(SECRET);
    expect(await git(remote, ['log', '--format=%B', 'main'])).not.toContain(
      SECRET,
    );
  });

  it('sends the token as an HTTP header, not in the URL, and keeps it out of errors', async () => {
    const seen: Array<{ url?: string; authorization?: string }> = [];
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      res.statusCode = 403;
      res.end(`denied ${req.headers.authorization}`);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const repo = new GitOpsRepository({
        repoUrl: `http://127.0.0.1:${port}/openova-io/gitops.git`,
        branch: 'main',
        author: { name: 'Catalyst', email: 'catalyst@example.com' },
        logger: mockServices.logger.mock(),
        credentials: async () => ({
          username: 'x-access-token',
          password: SECRET,
        }),
      });
      const error = await repo
        .writeOverlay({
          fqdn: 'alpha.omani.works',
          sourceDir: overlaySource,
          message: 'add',
        })
        .then(
          () => undefined,
          e => e as Error,
        );
      expect(error).toBeInstanceOf(Error);
      expect(error!.message).toMatch(/git ls-remote failed/);
      expect(error!.message).not.toContain(SECRET);
      expect(error!.message).not.toContain(
        Buffer.from(`x-access-token:${SECRET}`).toString('base64'),
      );
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0].authorization).toBe(
        `Basic ${Buffer.from(`x-access-token:${SECRET}`).toString('base64')}`,
      );
      expect(seen.every(s => !s.url?.includes(SECRET))).toBe(true);
    } finally {
      server.close();
    }
  });

  it('refuses a repository URL with embedded credentials and an invalid FQDN', async () => {
    expect(
      () =>
        new GitOpsRepository({
          repoUrl: `https://x-access-token:${SECRET}@github.com/o/r.git`,
          branch: 'main',
          author: { name: 'a', email: 'a@b.c' },
          logger: mockServices.logger.mock(),
        }),
    ).toThrow(/must not embed credentials/);
    await expect(
      repository().writeOverlay({
        fqdn: '../etc',
        sourceDir: overlaySource,
        message: 'x',
      }),
    ).rejects.toThrow(/not a valid lower-case FQDN/);
  });

  it('builds overlay URLs for https and file remotes', () => {
    const https = new GitOpsRepository({
      repoUrl: 'https://github.com/openova-io/gitops.git',
      branch: 'main',
      author: { name: 'a', email: 'a@b.c' },
      logger: mockServices.logger.mock(),
    });
    expect(https.overlayUrl('clusters/a.omani.works')).toBe(
      'https://github.com/openova-io/gitops/tree/main/clusters/a.omani.works',
    );
    expect(repository().overlayUrl('clusters/a.omani.works')).toBe(
      `${remoteUrl}//clusters/a.omani.works?ref=main`,
    );
  });
});
