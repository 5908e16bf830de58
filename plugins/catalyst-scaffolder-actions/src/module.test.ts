import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import os from 'node:os';
import path from 'node:path';
import { scaffolderModuleCatalyst } from './module';

// The offline sandbox module sits at the repository root (tests run from the package or the repository root).
const SANDBOX_MODULE = path.resolve(__dirname, '../../../infra/sandbox');

describe('scaffolderModuleCatalyst', () => {
  it('registers every Catalyst action, including the OpenTofu ones', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleCatalyst,
        mockServices.rootConfig.factory({
          data: {
            scaffolder: {
              catalyst: {
                gitops: {
                  repoUrl: 'file:///tmp/catalyst-gitops.git',
                  authorEmail: 'catalyst@example.com',
                },
                tofu: {
                  binary: 'terraform',
                  modulePath: SANDBOX_MODULE,
                  workDir: os.tmpdir(),
                  stateBackend: 'local',
                  timeout: { minutes: 30 },
                },
              },
            },
          },
        }),
      ],
    });
    const ids = addActions.mock.calls.flat().map((a: { id: string }) => a.id);
    expect(ids.sort()).toEqual(
      [
        'catalyst:blueprints:resolve',
        'catalyst:catalog:register-sovereign',
        'catalyst:dns:await-delegation',
        'catalyst:gitops:commit',
        'catalyst:overlay:render',
        'catalyst:pdm:commit',
        'catalyst:pdm:release',
        'catalyst:pdm:reserve',
        'catalyst:registrar:set-ns',
        'catalyst:sovereign:await-ready',
        'catalyst:sovereign:phase',
        'catalyst:sovereign:validate',
        'catalyst:tofu:apply',
        'catalyst:tofu:destroy',
        'catalyst:tofu:plan',
        'catalyst:voucher:redeem',
      ].sort(),
    );
    for (const action of addActions.mock.calls.flat()) {
      expect(action.examples?.length).toBeGreaterThan(0);
    }
  });
});
