import { sovereignEntityName } from '@catalyst/plugin-catalyst-common';
import execa from 'execa';
import fs from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import {
  makeTempDir,
  SANDBOX_MODULE,
  sovereignInput,
  tofuTestConfig,
  uniqueFqdn,
} from '../tofu/tofuTestFixtures';
import { createTofuApplyAction } from './tofuApply';

// Integration test of the embedded default's handoff: catalyst:tofu:apply mints the secret, the real terraform
// binary applies infra/sandbox, whose first boot asks the cluster stand-in (scripts/cluster-standin.js) to come
// up from the committed overlay and PUT its kubeconfig back with that secret, as the real cloud-init does.

jest.setTimeout(180_000);

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const { startClusterStandin } = require(path.resolve(
  __dirname,
  '../../../../scripts/cluster-standin.js',
));

const HCLOUD_TOKEN = `hcloud-${'s3cr3t'.repeat(11)}`;

/** Records the kubeconfig PUTs the way Catalyst's route receives them (its security is tested in catalyst-backend). */
async function startReceiver() {
  const puts: Array<{ url: string; authorization?: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      puts.push({
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      });
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, puts, close: () => new Promise(r => server.close(r)) };
}

async function commitOverlay(fqdn: string): Promise<string> {
  const root = await makeTempDir('overlay');
  const remote = path.join(root, 'gitops.git');
  const work = path.join(root, 'work');
  await execa('git', ['init', '-q', '--bare', '-b', 'main', remote]);
  await execa('git', ['init', '-q', '-b', 'main', work]);
  const dir = path.join(work, 'clusters', fqdn, 'bootstrap-kit');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(
    path.join(dir, '01-cilium.yaml'),
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: bp-cilium\n  namespace: flux-system\nspec:\n  interval: 15m\n',
  );
  await fs.writeFile(
    path.join(dir, '02-cert-manager.yaml'),
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: bp-cert-manager\n  namespace: flux-system\nspec:\n  dependsOn:\n    - name: bp-cilium\n',
  );
  await execa('git', ['-C', work, 'add', '-A']);
  await execa('git', [
    '-C',
    work,
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@example.com',
    'commit',
    '-qm',
    'overlay',
  ]);
  await execa('git', ['-C', work, 'push', '-q', remote, 'main']);
  return `file://${remote}`;
}

describe('catalyst:tofu:apply with the kubeconfig handoff on the sandbox module', () => {
  let env: ActionTestEnvironment;
  let standin: any;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const previousUrl = process.env.CATALYST_SANDBOX_CLUSTER_URL;

  beforeEach(async () => {
    env = await createActionTestEnvironment();
    standin = await startClusterStandin({ stepMs: 100 });
    receiver = await startReceiver();
    process.env.CATALYST_SANDBOX_CLUSTER_URL = standin.url;
  });
  afterEach(async () => {
    process.env.CATALYST_SANDBOX_CLUSTER_URL = previousUrl;
    if (previousUrl === undefined)
      delete process.env.CATALYST_SANDBOX_CLUSTER_URL;
    await standin.close();
    await receiver.close();
    await env.cleanup();
  });

  it('mints a secret, passes it only through the environment, and the stand-in PUTs the kubeconfig back with it', async () => {
    const fqdn = uniqueFqdn('handoff');
    const name = sovereignEntityName(fqdn);
    env.apis.sovereigns.set(name, { fqdn, phase: 'provisioning' });
    const repoUrl = await commitOverlay(fqdn);
    const workDir = await makeTempDir('work');
    const { ctx, logged, outputs } = createActionContext({
      input: sovereignInput(fqdn, {
        gitopsRepoUrl: repoUrl,
        kubeconfigHandoff: true,
        catalystApiUrl: receiver.url,
      }),
      workspacePath: await makeTempDir('ws'),
      secrets: { hetznerToken: HCLOUD_TOKEN },
    });
    await createTofuApplyAction({
      config: tofuTestConfig({ modulePath: SANDBOX_MODULE, workDir }),
      registry: env.registry,
    }).handler(ctx);

    expect(env.apis.handoffSecrets).toHaveLength(1);
    const { secret } = env.apis.handoffSecrets[0];
    for (let i = 0; i < 50 && receiver.puts.length === 0; i++) {
      await new Promise(r => setTimeout(r, 100));
    }
    expect(receiver.puts).toHaveLength(1);
    expect(receiver.puts[0].url).toBe(
      `/api/catalyst/v1/sovereigns/${name}/kubeconfig`,
    );
    expect(receiver.puts[0].authorization).toBe(`Bearer ${secret}`);
    expect(receiver.puts[0].body).toContain(
      `server: ${standin.url}/clusters/${name}`,
    );
    // The stand-in came up from the committed overlay.
    expect([...standin.clusters.get(name).state.keys()].sort()).toEqual([
      'bp-cert-manager',
      'bp-cilium',
    ]);

    // The secret is in no log line, no output and no staged file (tfvars); only the state holds it, inside the
    // rendered user-data, as a cloud provider keeps it too: single-use and expiring, it is worthless once used.
    expect(logged()).not.toContain(secret);
    expect(JSON.stringify(outputs)).not.toContain(secret);
    const { stdout } = await execa('grep', ['-rl', secret, workDir], {
      reject: false,
    });
    expect(
      stdout
        .split('\n')
        .filter(Boolean)
        .map(f => path.basename(f)),
    ).toEqual(['terraform.tfstate']);
  });
});
