import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import type { GitCredentials } from './GitOpsRepository';

/**
 * Credentials for the GitOps remote from the Backstage `integrations` config: a GitHub token or GitHub App
 * installation token for github hosts, the configured token for other known hosts, none for file:// remotes.
 */
export function createGitCredentialsSource(
  config: Config,
  repoUrl: string,
): () => Promise<GitCredentials | undefined> {
  if (!/^https?:\/\//.test(repoUrl)) return async () => undefined;
  const integrations = ScmIntegrations.fromConfig(config);
  const github = integrations.github.byUrl(repoUrl);
  if (github) {
    const provider =
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    return async () => {
      const { token } = await provider.getCredentials({ url: repoUrl });
      return token
        ? { username: 'x-access-token', password: token }
        : undefined;
    };
  }
  const gitlab = integrations.gitlab.byUrl(repoUrl);
  if (gitlab?.config.token) {
    const token = gitlab.config.token;
    return async () => ({ username: 'oauth2', password: token });
  }
  const gitea = integrations.gitea.byUrl(repoUrl);
  if (gitea?.config.password) {
    const { username, password } = gitea.config;
    return async () => ({ username: username ?? 'catalyst', password });
  }
  return async () => undefined;
}
