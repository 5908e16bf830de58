/**
 * Browser links into a Sovereign's GitOps repository. Catalyst's own repositories live on the Sovereign's
 * Gitea; a github.com or gitlab URL gets that host's path layout instead.
 */
export interface GitOpsLinks {
  repository: string;
  overlay?: string;
  commit?: string;
}

export function gitopsLinks(gitops: {
  repoUrl?: string;
  branch?: string;
  path?: string;
  commitSha?: string;
}): GitOpsLinks | undefined {
  if (!gitops.repoUrl) return undefined;
  let url: URL;
  try {
    url = new URL(gitops.repoUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  url.username = '';
  url.password = '';
  const repository = `${url.origin}${url.pathname
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')}`;
  const path = (gitops.path ?? '').replace(/^\/+/, '');
  const branch = gitops.branch ?? 'main';
  const host = url.hostname;
  let tree: string;
  let commitPrefix: string;
  if (host === 'github.com') {
    tree = `${repository}/tree/${branch}`;
    commitPrefix = `${repository}/commit/`;
  } else if (host === 'gitlab.com' || host.startsWith('gitlab.')) {
    tree = `${repository}/-/tree/${branch}`;
    commitPrefix = `${repository}/-/commit/`;
  } else {
    tree = `${repository}/src/branch/${branch}`;
    commitPrefix = `${repository}/commit/`;
  }
  return {
    repository,
    overlay: `${tree}${path ? `/${path}` : ''}`,
    commit: gitops.commitSha ? `${commitPrefix}${gitops.commitSha}` : undefined,
  };
}

/** A command that shows one commit of the overlay: `git show` on a local repository, else clone and show. */
export function gitShowCommand(
  repoUrl: string,
  commitSha: string,
  overlayPath: string,
): string {
  const paths = overlayPath ? ` -- ${overlayPath}` : '';
  if (repoUrl.startsWith('file://')) {
    return `git --git-dir=${repoUrl.slice(
      'file://'.length,
    )} show --stat ${commitSha}${paths}`;
  }
  return `git clone ${repoUrl} gitops && git -C gitops show --stat ${commitSha}${paths}`;
}
