import { parse } from '@cdktf/hcl2json';
import execa from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  HETZNER_MODULE,
  makeTempDir,
  REPO_ROOT,
  SANDBOX_MODULE,
  sandboxVariant,
  TEST_BINARY,
} from './tofuTestFixtures';

// Integration test of infra/hetzner and infra/sandbox with the real terraform binary and cloud-init.

const env = {
  ...process.env,
  TF_IN_AUTOMATION: 'true',
  CHECKPOINT_DISABLE: '1',
};

async function parseModule(dir: string): Promise<Record<string, any>> {
  const merged: Record<string, any> = { variable: {}, output: {} };
  for (const name of (await fs.readdir(dir)).filter(n => n.endsWith('.tf'))) {
    const json = await parse(
      name,
      await fs.readFile(path.join(dir, name), 'utf8'),
    );
    Object.assign(merged.variable, json.variable ?? {});
    Object.assign(merged.output, json.output ?? {});
  }
  return merged;
}

const baseVariables = {
  sovereign_fqdn: 'omantel.omani.works',
  sovereign_name: 'omantel-omani-works',
  sovereign_subdomain: 'omantel',
  org_name: "Omantel 'SAOG' & Partners",
  org_email: 'platform@omantel.om',
  hcloud_project_id: 'proj_abc123',
  region: 'fsn1',
  ha_enabled: true,
  regions: [
    {
      provider: 'hetzner',
      cloudRegion: 'fsn1',
      controlPlaneSize: 'cpx52',
      workerSize: 'cpx32',
      workerCount: 2,
    },
    {
      provider: 'hetzner',
      cloudRegion: 'hel1',
      controlPlaneSize: 'cpx42',
      workerSize: '',
      workerCount: 0,
    },
  ],
  ssh_public_key:
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl catalyst@omantel.omani.works',
  domain_mode: 'pool',
  pool_domain: 'omani.works',
  gitops_repo_url: 'https://github.com/openova-io/openova',
  gitops_branch: 'main',
  deployment_id: 'c0ffee00-1111-2222-3333-444455556666',
  catalyst_api_url: 'https://backstage.example.com',
};

const DNS01_SECRET = 'c2VjcmV0LWtleS1tYXRlcmlhbC1mb3ItdGVzdHM=';

describe('infra modules (terraform, cloud-init, integration)', () => {
  it('hetzner and sandbox declare the same variables (types, defaults, validations) and outputs', async () => {
    const hetzner = await parseModule(HETZNER_MODULE);
    const sandbox = await parseModule(SANDBOX_MODULE);
    expect(Object.keys(hetzner.variable).sort()).toEqual(
      Object.keys(sandbox.variable).sort(),
    );
    expect(sandbox.variable).toEqual(hetzner.variable);
    expect(Object.keys(sandbox.output).sort()).toEqual(
      Object.keys(hetzner.output).sort(),
    );
    expect(Object.keys(hetzner.output)).toEqual(
      expect.arrayContaining([
        'control_plane_ip',
        'load_balancer_ip',
        'sovereign_fqdn',
        'console_url',
        'gitops_repo_url',
      ]),
    );
    // The spec's contract (docs/provisioning.md §2.1), minus the dropped Dynadot variables.
    expect(Object.keys(hetzner.variable)).toEqual(
      expect.arrayContaining([
        'sovereign_fqdn',
        'sovereign_subdomain',
        'org_name',
        'org_email',
        'hcloud_token',
        'hcloud_project_id',
        'region',
        'control_plane_size',
        'worker_size',
        'worker_count',
        'ha_enabled',
        'regions',
        'k3s_version',
        'ssh_public_key',
        'domain_mode',
        'pool_domain',
        'ghcr_pull_token',
        'dns01_tsig_secret',
        'deployment_id',
        'kubeconfig_bearer_token',
        'catalyst_api_url',
        'gitops_repo_url',
        'gitops_branch',
        'ssh_allowed_cidrs',
        'enable_unattended_upgrades',
        'enable_fail2ban',
      ]),
    );
    expect(hetzner.variable.hcloud_token[0].sensitive).toBe(true);
    expect(hetzner.variable.dns01_tsig_secret[0].sensitive).toBe(true);
  });

  it('the Hetzner module pins its provider and forwards the Kubernetes API through the load balancer', async () => {
    const versions = await parse(
      'versions.tf',
      await fs.readFile(path.join(HETZNER_MODULE, 'versions.tf'), 'utf8'),
    );
    expect(versions.terraform[0].required_version).toBe('>= 1.6.0');
    expect(versions.terraform[0].required_providers[0].hcloud).toEqual({
      source: 'hetznercloud/hcloud',
      version: '~> 1.49',
    });
    const main = await parse(
      'main.tf',
      await fs.readFile(path.join(HETZNER_MODULE, 'main.tf'), 'utf8'),
    );
    const services = main.resource.hcloud_load_balancer_service;
    expect(services.kubernetes_api[0]).toMatchObject({
      protocol: 'tcp',
      listen_port: 6443,
      destination_port: 6443,
    });
    expect(services.http[0]).toMatchObject({
      listen_port: 80,
      destination_port: 31080,
    });
    expect(services.https[0]).toMatchObject({
      listen_port: 443,
      destination_port: 31443,
    });
    expect(main.resource.hcloud_load_balancer_target.worker).toBeDefined();
    const cloudinit = await fs.readFile(
      path.join(HETZNER_MODULE, 'cloudinit.tf'),
      'utf8',
    );
    expect(cloudinit).toContain(
      '"catalyst.openova.io/deployment-id" = var.deployment_id',
    );
  });

  it('terraform fmt -check passes on infra/', async () => {
    const result = await execa(
      TEST_BINARY,
      ['fmt', '-check', '-recursive', 'infra'],
      { cwd: REPO_ROOT, env, reject: false },
    );
    expect(result.stdout).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('renders every cloud-init template into valid cloud-config with the right roles', async () => {
    const dir = await sandboxVariant({
      'render.tf':
        'output "rendered" {\n  value = { for k, v in merge(local.control_plane_user_data, local.worker_user_data) : k => nonsensitive(v) }\n}\n',
      'test.auto.tfvars.json': JSON.stringify(baseVariables),
    });
    const runEnv = {
      ...env,
      TF_VAR_hcloud_token: 'x'.repeat(64),
      TF_VAR_ghcr_pull_token: 'ghp_exampletoken',
      TF_VAR_kubeconfig_bearer_token: 'ab'.repeat(32),
      TF_VAR_dns01_tsig_secret: DNS01_SECRET,
    };
    await execa(TEST_BINARY, ['init', '-input=false', '-no-color'], {
      cwd: dir,
      env: runEnv,
    });
    await execa(
      TEST_BINARY,
      ['apply', '-input=false', '-no-color', '-auto-approve'],
      { cwd: dir, env: runEnv },
    );
    const { stdout } = await execa(
      TEST_BINARY,
      ['output', '-json', 'rendered'],
      { cwd: dir, env: runEnv },
    );
    const rendered: Record<string, string> = JSON.parse(stdout);
    expect(Object.keys(rendered).sort()).toEqual([
      'fsn1-cp1',
      'fsn1-cp2',
      'fsn1-cp3',
      'fsn1-w1',
      'fsn1-w2',
      'hel1-cp1',
      'hel1-cp2',
      'hel1-cp3',
    ]);

    for (const [node, userData] of Object.entries(rendered)) {
      const file = path.join(dir, `${node}.yaml`);
      await fs.writeFile(file, userData);
      const schema = await execa(
        'cloud-init',
        ['schema', '--config-file', file],
        { reject: false },
      );
      expect({
        node,
        out: `${schema.stdout}${schema.stderr}`.trim(),
        code: schema.exitCode,
      }).toEqual({
        node,
        out: expect.stringContaining('Valid cloud-config'),
        code: 0,
      });
    }

    const init = rendered['fsn1-cp1'];
    expect(init).toContain('server --cluster-init');
    expect(init).toContain('--tls-san=omantel.omani.works');
    expect(init).toContain('cilium/cilium --version 1.16.5');
    expect(init).toContain('flux2/releases/download/v2.4.0/install.yaml');
    expect(init).toContain(
      'path: ./clusters/omantel.omani.works/bootstrap-kit',
    );
    expect(init).toContain(
      'path: ./clusters/omantel.omani.works/infrastructure',
    );
    expect(init).toContain('!/clusters/omantel.omani.works');
    expect(init).not.toContain('_template');
    expect(init).toContain(
      "'https://backstage.example.com/api/catalyst/v1/sovereigns/omantel-omani-works/kubeconfig'",
    );
    for (const join of [rendered['fsn1-cp2'], rendered['fsn1-cp3']]) {
      expect(join).toContain('server --server https://10.0.1.2:6443');
      expect(join).not.toContain('--cluster-init');
      expect(join).not.toContain('/kubeconfig');
      expect(join).not.toContain('install.yaml');
    }
    // A further region is its own cluster: it initialises its own etcd but neither bootstraps Flux nor PUTs back.
    expect(rendered['hel1-cp1']).toContain('server --cluster-init');
    expect(rendered['hel1-cp1']).not.toContain('install.yaml');
    expect(rendered['hel1-cp1']).not.toContain('/kubeconfig');
    // The DNS-01 key's secret becomes the Secret cert-manager's issuers reference, on the Flux cluster only.
    const secretManifest = [
      '      kind: Secret',
      '      metadata:',
      '        name: catalyst-dns01-tsig',
      '        namespace: cert-manager',
      '      type: Opaque',
      '      data:',
      `        secret: ${Buffer.from(DNS01_SECRET).toString('base64')}`,
    ].join('\n');
    expect(init).toContain(secretManifest);
    expect(init).toContain(
      'kubectl apply -f /var/lib/catalyst/dns01-tsig-secret.yaml',
    );
    // Only the first control plane (the Flux cluster's bootstrap node) carries the Secret.
    const carriers = Object.entries(rendered)
      .filter(([, userData]) => userData.includes('catalyst-dns01-tsig'))
      .map(([node]) => node);
    expect(carriers).toEqual(['fsn1-cp1']);
    expect(rendered['fsn1-w1']).toContain("K3S_URL='https://10.0.1.2:6443'");
    expect(rendered['fsn1-w1']).toContain(
      'agent --node-label catalyst.openova.io/role=worker',
    );
  }, 60_000);

  describe('ssh_public_key accepts exactly the wizard key types', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await makeTempDir('ssh');
      await fs.copyFile(
        path.join(SANDBOX_MODULE, 'variables.tf'),
        path.join(dir, 'variables.tf'),
      );
      await execa(TEST_BINARY, ['init', '-input=false', '-no-color'], {
        cwd: dir,
        env,
      });
    });
    const body =
      'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    const plan = (key: string) =>
      execa(
        TEST_BINARY,
        ['plan', '-input=false', '-no-color', '-refresh=false'],
        {
          cwd: dir,
          reject: false,
          env: {
            ...env,
            TF_VAR_hcloud_token: 'x',
            TF_VAR_sovereign_fqdn: 'a.example.com',
            TF_VAR_sovereign_name: 'a-example-com',
            TF_VAR_org_name: 'Org',
            TF_VAR_org_email: 'a@example.com',
            TF_VAR_hcloud_project_id: 'p',
            TF_VAR_region: 'fsn1',
            TF_VAR_gitops_repo_url: 'https://example.com/repo.git',
            TF_VAR_ssh_public_key: key,
          },
        },
      );

    it.each([
      'ssh-rsa',
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
      'ecdsa-sha2-nistp384',
      'ecdsa-sha2-nistp521',
    ])('accepts %s', async type => {
      const result = await plan(`${type} ${body} someone@example.com`);
      expect(result.stderr).not.toContain('ssh_public_key');
      expect(result.exitCode).toBe(0);
    });

    it.each([
      `ssh-dss ${body}`,
      'ssh-ed25519 short',
      `ssh-ed25519 ${body}\nssh-rsa ${body}`,
      'not a key',
    ])('rejects %j', async key => {
      const result = await plan(key);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(
        'ssh_public_key must be one OpenSSH line',
      );
    });
  });
});
