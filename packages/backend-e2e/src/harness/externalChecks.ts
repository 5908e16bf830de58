import execa from 'execa';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Checks made with the standard tools a platform engineer would use (dig, git, kubectl), not with the
 * project's own code, so a bug shared by writer and reader cannot hide.
 */

/** `dig @127.0.0.1 -p <port> <name> <type> +short`, one answer per element. */
export async function dig(
  dnsPort: number,
  name: string,
  type = 'A',
): Promise<string[]> {
  const { stdout } = await execa('dig', [
    '@127.0.0.1',
    '-p',
    String(dnsPort),
    name,
    type,
    '+short',
    '+time=2',
    '+tries=2',
  ]);
  return stdout
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean);
}

/** Whether PowerDNS serves a zone whose apex is `fqdn` (an SOA owned by the name itself). */
export async function servesZone(
  dnsPort: number,
  fqdn: string,
): Promise<boolean> {
  const { stdout } = await execa('dig', [
    '@127.0.0.1',
    '-p',
    String(dnsPort),
    fqdn,
    'SOA',
    '+noall',
    '+answer',
    '+time=2',
    '+tries=2',
  ]);
  return stdout.split('\n').some(line => {
    const [owner, , , type] = line.split(/\s+/);
    return type === 'SOA' && owner?.toLowerCase() === `${fqdn.toLowerCase()}.`;
  });
}

/** `git ls-remote <repo> refs/heads/<branch>` → the branch head. */
export async function remoteHead(repo: string, branch = 'main') {
  const { stdout } = await execa('git', [
    'ls-remote',
    repo,
    `refs/heads/${branch}`,
  ]);
  return stdout.split(/\s+/)[0];
}

export interface ClonedRepo {
  dir: string;
  /** `git log --format=%H%x09%s -- <path>` (newest first). */
  log(pathspec: string): Promise<Array<{ sha: string; subject: string }>>;
  exists(relative: string): Promise<boolean>;
  /** `kubectl kustomize <relative>`: the rendered YAML. */
  kustomize(relative: string): Promise<string>;
  remove(): Promise<void>;
}

/** `git clone` of the bare repository into a temporary folder. */
export async function cloneRepo(repo: string): Promise<ClonedRepo> {
  const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'catalyst-clone-'));
  const dir = path.join(parent, 'repo');
  await execa('git', ['clone', '--quiet', repo, dir]);
  return {
    dir,
    async log(pathspec) {
      const { stdout } = await execa(
        'git',
        ['log', '--format=%H%x09%s', '--', pathspec],
        { cwd: dir },
      );
      return stdout
        .split('\n')
        .filter(Boolean)
        .map(line => {
          const [sha, subject] = line.split('\t');
          return { sha, subject };
        });
    },
    async exists(relative) {
      return fs
        .access(path.join(dir, relative))
        .then(() => true)
        .catch(() => false);
    },
    async kustomize(relative) {
      const { stdout } = await execa('kubectl', [
        'kustomize',
        path.join(dir, relative),
      ]);
      return stdout;
    },
    async remove() {
      await fs.rm(parent, { recursive: true, force: true });
    },
  };
}
