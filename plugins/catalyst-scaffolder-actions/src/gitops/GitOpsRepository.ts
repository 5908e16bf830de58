import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import execa from 'execa';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';

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
/** One folder name of a subpath: what kustomize, Flux and a human reading the tree all accept. */
const SUBPATH_SEGMENT = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;

/**
 * Sub-trees of an overlay written by their own commits (one folder per Organization), not by the Sovereign's
 * overlay render: a whole-overlay write keeps them, so re-rendering a Sovereign never drops its tenants.
 */
export const INDEPENDENT_OVERLAY_SUBTREES = ['tenants'] as const;

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
 * directory (`clusters/<fqdn>/`, or one folder inside it such as `tenants/<slug>`) and pushes one commit; so
 * operations for different Sovereigns or Organizations never conflict and a rejected push is resolved by
 * re-applying the change on the new tip.
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
        'scaffolder.catalyst.gitops.repoUrl must not embed credentials; configure them under integrations',
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

  /**
   * Replaces `clusters/<fqdn>/` with the content of sourceDir and pushes one commit if anything changed.
   *
   * With `subpath` only `clusters/<fqdn>/<subpath>/` is replaced and everything else in the overlay stays as it
   * is on the branch tip (also when the push has to be re-applied on another writer's commit). When the written
   * folder has a kustomization.yaml, each parent folder up to the overlay root lists it in its own
   * kustomization.yaml `resources` (created when missing, updated idempotently), so Flux applies it.
   *
   * Without `subpath`, the {@link INDEPENDENT_OVERLAY_SUBTREES} already on the branch are carried over.
   */
  async writeOverlay(options: {
    fqdn: string;
    sourceDir: string;
    message: string;
    subpath?: string;
    signal?: AbortSignal;
  }): Promise<OverlayCommitResult> {
    const { overlayPath, segments, changed } = overlayTarget(
      options.fqdn,
      options.subpath,
    );
    await fs.access(options.sourceDir).catch(() => {
      throw new InputError(
        `overlay source ${options.sourceDir} does not exist`,
      );
    });
    return this.commitChange(changed, options, async (target, dir) => {
      if (!segments) {
        await replaceOverlayKeepingSubtrees(options.sourceDir, target, dir);
        return;
      }
      await replaceDir(options.sourceDir, target);
      if (await exists(path.join(target, 'kustomization.yaml'))) {
        for (let depth = segments.length - 1; depth >= 0; depth--) {
          await addKustomizationResource(
            path.join(dir, overlayPath, ...segments.slice(0, depth)),
            segments[depth],
          );
        }
      }
    });
  }

  /**
   * Deletes `clusters/<fqdn>/` (or only `clusters/<fqdn>/<subpath>/`, which its parent kustomization.yaml then
   * stops listing) and pushes one commit if it existed.
   */
  async removeOverlay(options: {
    fqdn: string;
    message: string;
    subpath?: string;
    signal?: AbortSignal;
  }): Promise<OverlayCommitResult> {
    const { segments, changed } = overlayTarget(options.fqdn, options.subpath);
    return this.commitChange(changed, options, async target => {
      const existed = await exists(target);
      await fs.rm(target, { recursive: true, force: true });
      if (segments && existed) {
        await removeKustomizationResource(
          path.dirname(target),
          segments[segments.length - 1],
        );
      }
    });
  }

  /**
   * Clones, lets `apply` change the folder `overlayPath` (given as its absolute `target` in the clone `dir`),
   * and commits and pushes the result, re-applying on a newer tip when another writer pushed first.
   */
  private async commitChange(
    overlayPath: string,
    { message, signal }: { message: string; signal?: AbortSignal },
    apply: (target: string, dir: string) => Promise<void>,
  ): Promise<OverlayCommitResult> {
    const credentials = await this.options.credentials?.();
    const git = new GitRunner(credentials, signal);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'catalyst-gitops-'));
    const { branch, author } = this.options;
    try {
      const hasBranch = await this.cloneOrInit(git, dir);
      for (let attempt = 1; ; attempt++) {
        await apply(path.join(dir, overlayPath), dir);
        // The clone is private to this operation and apply() only touched the overlay, so staging the whole
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
        // replaces one directory wholesale and only adds list entries to parent kustomizations read from the new
        // tip, re-applying is the same as a conflict-free rebase.
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

/** Splits a subpath into folder names, refusing anything that could leave the overlay or hide in it. */
function subpathSegments(subpath: string): string[] {
  const segments = subpath.replace(/\/+$/, '').split('/');
  if (
    subpath.trim() === '' ||
    segments.some(segment => !SUBPATH_SEGMENT.test(segment))
  ) {
    throw new InputError(
      `subpath "${subpath}" must be a relative path of lower-case folder names (letters, digits, '.', '_', '-'), e.g. tenants/acme`,
    );
  }
  return segments;
}

async function exists(target: string): Promise<boolean> {
  return fs.access(target).then(
    () => true,
    () => false,
  );
}

const KUSTOMIZATION_HEADER = {
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
};

/**
 * Makes `<dir>/kustomization.yaml` list `resource` (creating the file when missing). Editing the parsed
 * document keeps every other field and comment; an entry already listed (also as `./name`) is left alone.
 */
async function addKustomizationResource(
  dir: string,
  resource: string,
): Promise<void> {
  const file = path.join(dir, 'kustomization.yaml');
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(
      file,
      yaml.stringify({ ...KUSTOMIZATION_HEADER, resources: [resource] }),
      'utf8',
    );
    return;
  }
  const doc = yaml.parseDocument(text);
  if (doc.errors.length > 0 || !yaml.isMap(doc.contents)) {
    throw new InputError(
      `${file} is not a valid kustomization: ${
        doc.errors[0]?.message ?? 'not a mapping'
      }`,
    );
  }
  const resources = doc.get('resources');
  if (resources === undefined || resources === null) {
    doc.set('resources', doc.createNode([resource]));
  } else if (yaml.isSeq(resources)) {
    const listed = resources.items.map(item =>
      String(yaml.isScalar(item) ? item.value : item).replace(/^\.\//, ''),
    );
    if (listed.includes(resource)) return;
    resources.add(doc.createNode(resource));
  } else {
    throw new InputError(`${file}: resources must be a list`);
  }
  await fs.writeFile(file, doc.toString(), 'utf8');
}

/** Drops `resource` from `<dir>/kustomization.yaml` when the file lists it. */
async function removeKustomizationResource(
  dir: string,
  resource: string,
): Promise<void> {
  const file = path.join(dir, 'kustomization.yaml');
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const doc = yaml.parseDocument(text);
  const resources = doc.get('resources');
  if (!yaml.isSeq(resources)) return;
  const before = resources.items.length;
  resources.items = resources.items.filter(
    item =>
      String(yaml.isScalar(item) ? item.value : item).replace(/^\.\//, '') !==
      resource,
  );
  if (resources.items.length !== before) {
    await fs.writeFile(file, doc.toString(), 'utf8');
  }
}

function isRejectedPush(output: string): boolean {
  return /\[rejected\]|\[remote rejected\]|non-fast-forward|fetch first|cannot lock ref|failed to update ref/i.test(
    output,
  );
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-3).join(' | ');
}

/** The overlay of `fqdn`, the subpath's segments below it, and the folder a change writes (either one). */
function overlayTarget(fqdn: string, subpath: string | undefined) {
  const overlayPath = overlayPathOf(fqdn);
  const segments = subpath === undefined ? undefined : subpathSegments(subpath);
  const changed = segments
    ? `${overlayPath}/${segments.join('/')}`
    : overlayPath;
  return { overlayPath, segments, changed };
}

/** Makes `target` an exact copy of `source` (its parents are created, whatever was there is gone). */
async function replaceDir(source: string, target: string): Promise<void> {
  await fs.rm(target, { recursive: true, force: true });
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.cp(source, target, { recursive: true });
}

/**
 * Replaces a whole overlay with `source`, carrying over the {@link INDEPENDENT_OVERLAY_SUBTREES} it already has
 * (each listed in the overlay's kustomization.yaml again when it has one of its own).
 */
async function replaceOverlayKeepingSubtrees(
  source: string,
  target: string,
  workDir: string,
): Promise<void> {
  const kept = await fs.mkdtemp(`${workDir}-kept-`);
  try {
    const carried: string[] = [];
    for (const subtree of INDEPENDENT_OVERLAY_SUBTREES) {
      if (await exists(path.join(target, subtree))) {
        await fs.rename(path.join(target, subtree), path.join(kept, subtree));
        carried.push(subtree);
      }
    }
    await replaceDir(source, target);
    for (const subtree of carried) {
      await fs.rm(path.join(target, subtree), {
        recursive: true,
        force: true,
      });
      await fs.rename(path.join(kept, subtree), path.join(target, subtree));
      if (await exists(path.join(target, subtree, 'kustomization.yaml'))) {
        await addKustomizationResource(target, subtree);
      }
    }
  } finally {
    await fs.rm(kept, { recursive: true, force: true });
  }
}
