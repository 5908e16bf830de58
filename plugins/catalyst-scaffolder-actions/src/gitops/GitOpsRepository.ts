import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import execa from 'execa';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** HTTP credentials for the GitOps remote; `undefined` for remotes that need none (file://, ssh with an agent). */
export interface GitCredentials {
  username: string;
  password: string;
}

export interface GitOpsRepositoryOptions {
  repoUrl: string;
  branch: string;
  author: { name: string; email: string };
  logger: LoggerService;
  /** Called once per operation, so a short-lived token (GitHub App) is fresh for each push. */
  credentials?: () => Promise<GitCredentials | undefined>;
  /** Push attempts before giving up when other writers keep moving the branch. */
  maxPushAttempts?: number;
}

export interface OverlayCommitResult {
  /**
   * HEAD of the branch after the operation: the new commit, or the existing HEAD when nothing changed
   * (empty only when the branch does not exist and there was nothing to commit).
   */
  commitSha: string;
  changed: boolean;
  /** Path of the overlay inside the repository. */
  path: string;
}

const FQDN_PATTERN =
  /^[a-z]([a-z0-9-]*[a-z0-9])?(\.[a-z]([a-z0-9-]*[a-z0-9])?)+$/;

/** Runs git with credentials in the environment only, and scrubs them from any output it returns or throws. */
class GitRunner {
  private readonly env: Record<string, string>;
  private readonly secrets: string[];

  constructor(
    credentials: GitCredentials | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.env = {
      GIT_TERMINAL_PROMPT: '0',
      LC_ALL: 'C',
    };
    this.secrets = [];
    if (credentials) {
      const basic = Buffer.from(
        `${credentials.username}:${credentials.password}`,
      ).toString('base64');
      this.env.GIT_CONFIG_COUNT = '1';
      this.env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
      this.env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
      this.secrets.push(credentials.password, basic);
    }
  }

  async run(cwd: string | undefined, args: string[]): Promise<string> {
    const result = await this.tryRun(cwd, args);
    if (!result.ok) {
      throw new Error(`git ${args[0]} failed: ${lastLines(result.output)}`);
    }
    return result.output;
  }

  async tryRun(
    cwd: string | undefined,
    args: string[],
  ): Promise<{ ok: boolean; output: string }> {
    if (this.signal?.aborted) throw new Error('GitOps operation cancelled');
    const child = execa('git', args, {
      cwd,
      env: this.env,
      reject: false,
      all: true,
    });
    const onAbort = () => child.kill('SIGTERM');
    this.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await child;
      return {
        ok: result.exitCode === 0,
        output: this.scrub(
          result.exitCode === 0 ? result.stdout : result.all ?? '',
        ),
      };
    } finally {
      this.signal?.removeEventListener('abort', onAbort);
    }
  }

  private scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (secret) out = out.split(secret).join('***');
    }
    return out;
  }
}

/**
 * The GitOps repository Flux watches. Each operation works in its own shallow clone, writes exactly one
 * directory (`clusters/<fqdn>/`) and pushes one commit; so operations for different Sovereigns never conflict
 * and a rejected push is resolved by re-applying the change on the new tip.
 *
 * Credentials reach git only through the child's environment (`GIT_CONFIG_*` → `http.extraHeader`), never the
 * URL or argv, and every message that leaves this class is scrubbed of them.
 */
export class GitOpsRepository {
  private readonly options: GitOpsRepositoryOptions;
  private readonly maxPushAttempts: number;

  constructor(options: GitOpsRepositoryOptions) {
    if (/^[a-z]+:\/\/[^/]*@/i.test(options.repoUrl)) {
      throw new InputError(
        'catalyst.gitops.repoUrl must not embed credentials; configure them under integrations',
      );
    }
    this.options = options;
    this.maxPushAttempts = options.maxPushAttempts ?? 5;
  }

  get repoUrl(): string {
    return this.options.repoUrl;
  }

  get branch(): string {
    return this.options.branch;
  }

  /** A browsable location of the overlay (GitHub-style tree URL for https remotes). */
  overlayUrl(overlayPath: string): string {
    const { repoUrl, branch } = this.options;
    if (/^https?:\/\//.test(repoUrl)) {
      return `${repoUrl
        .replace(/\.git$/, '')
        .replace(/\/$/, '')}/tree/${branch}/${overlayPath}`;
    }
    return `${repoUrl}//${overlayPath}?ref=${branch}`;
  }

  /** Replaces `clusters/<fqdn>/` with the content of sourceDir and pushes one commit if anything changed. */
  async writeOverlay(options: {
    fqdn: string;
    sourceDir: string;
    message: string;
    signal?: AbortSignal;
  }): Promise<OverlayCommitResult> {
    const overlayPath = overlayPathOf(options.fqdn);
    await fs.access(options.sourceDir).catch(() => {
      throw new InputError(
        `overlay source ${options.sourceDir} does not exist`,
      );
    });
    return this.commitChange(
      overlayPath,
      options.message,
      options.signal,
      async dir => {
        const target = path.join(dir, overlayPath);
        await fs.rm(target, { recursive: true, force: true });
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.cp(options.sourceDir, target, { recursive: true });
      },
    );
  }

  /** Deletes `clusters/<fqdn>/` and pushes one commit if it existed. */
  async removeOverlay(options: {
    fqdn: string;
    message: string;
    signal?: AbortSignal;
  }): Promise<OverlayCommitResult> {
    const overlayPath = overlayPathOf(options.fqdn);
    return this.commitChange(
      overlayPath,
      options.message,
      options.signal,
      async dir => {
        await fs.rm(path.join(dir, overlayPath), {
          recursive: true,
          force: true,
        });
      },
    );
  }

  private async commitChange(
    overlayPath: string,
    message: string,
    signal: AbortSignal | undefined,
    apply: (dir: string) => Promise<void>,
  ): Promise<OverlayCommitResult> {
    const credentials = await this.options.credentials?.();
    const git = new GitRunner(credentials, signal);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'catalyst-gitops-'));
    const { branch, author } = this.options;
    try {
      const hasBranch = await this.cloneOrInit(git, dir);
      for (let attempt = 1; ; attempt++) {
        await apply(dir);
        // The clone is private to this operation and apply() only touched overlayPath, so staging the whole
        // tree stages exactly our change (a pathspec would fail once the directory is gone).
        await git.run(dir, ['add', '--all', '.']);
        const status = await git.run(dir, ['status', '--porcelain']);
        if (status.trim() === '') {
          if (!hasBranch && attempt === 1) {
            // Nothing to remove from a branch that does not exist yet.
            this.options.logger.info(
              `GitOps: branch ${branch} does not exist; nothing to commit for ${overlayPath}`,
            );
            return { commitSha: '', changed: false, path: overlayPath };
          }
          const head = (await git.run(dir, ['rev-parse', 'HEAD'])).trim();
          this.options.logger.info(
            `GitOps: ${overlayPath} already up to date at ${head}`,
          );
          return { commitSha: head, changed: false, path: overlayPath };
        }
        await git.run(dir, [
          '-c',
          `user.name=${author.name}`,
          '-c',
          `user.email=${author.email}`,
          'commit',
          '--quiet',
          '-m',
          message,
        ]);
        const sha = (await git.run(dir, ['rev-parse', 'HEAD'])).trim();
        const pushed = await git.tryRun(dir, [
          'push',
          '--porcelain',
          'origin',
          `HEAD:refs/heads/${branch}`,
        ]);
        if (pushed.ok) {
          this.options.logger.info(
            `GitOps: pushed ${sha} (${overlayPath}) to ${branch}`,
          );
          return { commitSha: sha, changed: true, path: overlayPath };
        }
        if (!isRejectedPush(pushed.output) || attempt >= this.maxPushAttempts) {
          throw new ConflictError(
            `GitOps push to ${branch} failed after ${attempt} attempt(s): ${lastLines(
              pushed.output,
            )}`,
          );
        }
        // Someone else moved the branch: take their tip and re-apply our directory on top. Because the change
        // replaces one directory wholesale, re-applying is the same as a conflict-free rebase.
        this.options.logger.info(
          `GitOps: push to ${branch} rejected (attempt ${attempt}), re-applying on the new tip`,
        );
        await git.run(dir, [
          'fetch',
          '--quiet',
          '--depth',
          '1',
          'origin',
          branch,
        ]);
        await git.run(dir, ['reset', '--quiet', '--hard', 'FETCH_HEAD']);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** Shallow-clones the branch; an empty remote (first Sovereign) starts an orphan branch. */
  private async cloneOrInit(git: GitRunner, dir: string): Promise<boolean> {
    const { repoUrl, branch } = this.options;
    const heads = await git.run(undefined, [
      'ls-remote',
      '--heads',
      repoUrl,
      `refs/heads/${branch}`,
    ]);
    if (heads.trim() !== '') {
      await git.run(undefined, [
        'clone',
        '--quiet',
        '--depth',
        '1',
        '--single-branch',
        '--branch',
        branch,
        repoUrl,
        dir,
      ]);
      return true;
    }
    await git.run(dir, ['init', '--quiet']);
    await git.run(dir, ['checkout', '--quiet', '-b', branch]);
    await git.run(dir, ['remote', 'add', 'origin', repoUrl]);
    return false;
  }
}

function overlayPathOf(fqdn: string): string {
  if (!FQDN_PATTERN.test(fqdn)) {
    throw new InputError(`fqdn "${fqdn}" is not a valid lower-case FQDN`);
  }
  return `clusters/${fqdn}`;
}

function isRejectedPush(output: string): boolean {
  return /\[rejected\]|\[remote rejected\]|non-fast-forward|fetch first|cannot lock ref|failed to update ref/i.test(
    output,
  );
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-3).join(' | ');
}
