import { gitopsLinks } from './gitopsLinks';

describe('gitopsLinks', () => {
  const base = {
    branch: 'main',
    path: 'clusters/a.example.org',
    commitSha: 'abc123',
  };

  it('uses the Gitea layout for the Sovereign Gitea', () => {
    expect(
      gitopsLinks({
        ...base,
        repoUrl: 'https://gitea.a.example.org/catalyst/gitops.git',
      }),
    ).toEqual({
      repository: 'https://gitea.a.example.org/catalyst/gitops',
      overlay:
        'https://gitea.a.example.org/catalyst/gitops/src/branch/main/clusters/a.example.org',
      commit: 'https://gitea.a.example.org/catalyst/gitops/commit/abc123',
    });
  });

  it('uses the GitHub and GitLab layouts on those hosts', () => {
    expect(
      gitopsLinks({ ...base, repoUrl: 'https://github.com/acme/fleet' })
        ?.overlay,
    ).toBe('https://github.com/acme/fleet/tree/main/clusters/a.example.org');
    expect(
      gitopsLinks({ ...base, repoUrl: 'https://gitlab.com/acme/fleet.git' })
        ?.commit,
    ).toBe('https://gitlab.com/acme/fleet/-/commit/abc123');
  });

  it('drops credentials embedded in the URL and refuses non-web URLs', () => {
    expect(
      gitopsLinks({
        ...base,
        repoUrl: 'https://user:secret@gitea.a.example.org/x/y.git',
      })?.repository,
    ).toBe('https://gitea.a.example.org/x/y');
    expect(
      gitopsLinks({
        ...base,
        repoUrl: 'ssh://git@gitea.a.example.org/x/y.git',
      }),
    ).toBe(undefined);
    expect(gitopsLinks({ ...base, repoUrl: 'not a url' })).toBe(undefined);
  });
});
