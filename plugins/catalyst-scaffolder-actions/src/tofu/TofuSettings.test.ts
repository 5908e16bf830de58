import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import path from 'node:path';
import { readTofuSettings } from './TofuSettings';
import { REPO_ROOT, SANDBOX_MODULE } from './tofuTestFixtures';

const read = (tofu: JsonObject) =>
  readTofuSettings(new ConfigReader({ scaffolder: { catalyst: { tofu } } }), {
    cwd: path.join(REPO_ROOT, 'packages/backend'),
  });

describe('readTofuSettings', () => {
  it('applies the defaults and resolves paths against the backend working directory', () => {
    expect(
      read({ modulePath: '../../infra/sandbox', workDir: 'tofu' }),
    ).toEqual({
      binary: 'tofu',
      modulePath: SANDBOX_MODULE,
      workDir: path.join(REPO_ROOT, 'packages/backend/tofu'),
      stateBackend: 'local',
      pgConnectionString: undefined,
      timeoutMs: 30 * 60 * 1000,
      killGracePeriodMs: 30 * 1000,
    });
  });

  it('reads durations, the pg backend and its connection string', () => {
    const settings = read({
      binary: '/usr/bin/terraform',
      modulePath: SANDBOX_MODULE,
      workDir: '/var/lib/catalyst/tofu',
      stateBackend: 'pg',
      pgConnectionString: 'postgres://u:p@db/tofu',
      timeout: '45m',
      killGracePeriod: { seconds: 10 },
    });
    expect(settings).toMatchObject({
      binary: '/usr/bin/terraform',
      stateBackend: 'pg',
      pgConnectionString: 'postgres://u:p@db/tofu',
      timeoutMs: 45 * 60 * 1000,
      killGracePeriodMs: 10_000,
    });
  });

  it('fails fast naming the key at fault', () => {
    expect(() => read({ workDir: '/tmp' })).toThrow(
      /catalyst\.tofu\.modulePath/,
    );
    expect(() =>
      read({ modulePath: SANDBOX_MODULE, workDir: '/tmp', binary: 'bash' }),
    ).toThrow(/catalyst\.tofu\.binary must be "tofu" or "terraform"/);
    expect(() =>
      read({ modulePath: '/nonexistent/module', workDir: '/tmp' }),
    ).toThrow(
      /catalyst\.tofu\.modulePath "\/nonexistent\/module" is not a readable folder/,
    );
    expect(() =>
      read({ modulePath: SANDBOX_MODULE, workDir: '/tmp', stateBackend: 's3' }),
    ).toThrow(/catalyst\.tofu\.stateBackend must be "local" or "pg"/);
    expect(() =>
      read({ modulePath: SANDBOX_MODULE, workDir: '/tmp', stateBackend: 'pg' }),
    ).toThrow(/catalyst\.tofu\.pgConnectionString is required/);
    expect(() =>
      read({ modulePath: SANDBOX_MODULE, workDir: '/tmp', timeout: '0s' }),
    ).toThrow(/catalyst\.tofu\.timeout must be a positive duration/);
  });
});
