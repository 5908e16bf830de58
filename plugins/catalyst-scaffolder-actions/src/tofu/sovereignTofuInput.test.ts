import { exampleSovereignInput } from './exampleSovereignInput';
import { hashRunInputs, parseSovereignTofuInput } from './sovereignTofuInput';

const secrets = {
  hetznerToken: 'hcloud-token-value',
  ghcrPullToken: 'ghcr-value',
  kubeconfigBearerToken: 'ab'.repeat(32),
};

describe('parseSovereignTofuInput', () => {
  it('maps the request onto the module variables and keeps every secret out of them', () => {
    const { fqdn, variables, secretEnv } = parseSovereignTofuInput(
      exampleSovereignInput,
      secrets,
      'task-1',
    );
    expect(fqdn).toBe('omantel.omani.works');
    expect(variables).toEqual({
      sovereign_fqdn: 'omantel.omani.works',
      sovereign_name: 'omantel-omani-works',
      sovereign_subdomain: 'omantel',
      org_name: 'Omantel',
      org_email: 'platform@omantel.om',
      hcloud_project_id: 'proj_abc123',
      region: 'fsn1',
      control_plane_size: 'cpx52',
      worker_size: 'cpx32',
      worker_count: 2,
      ha_enabled: false,
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx52',
          workerSize: 'cpx32',
          workerCount: 2,
        },
      ],
      ssh_public_key: exampleSovereignInput.request.sshPublicKey,
      domain_mode: 'pool',
      pool_domain: 'omani.works',
      gitops_repo_url: 'https://github.com/openova-io/openova',
      gitops_branch: 'main',
      gitops_path: 'clusters/omantel.omani.works',
      deployment_id: 'task-1',
      catalyst_api_url: '',
    });
    expect(secretEnv).toEqual({
      TF_VAR_hcloud_token: 'hcloud-token-value',
      TF_VAR_ghcr_pull_token: 'ghcr-value',
      TF_VAR_kubeconfig_bearer_token: 'ab'.repeat(32),
    });
    expect(JSON.stringify(variables)).not.toMatch(
      /hcloud-token-value|ghcr-value|abababab/,
    );
  });

  it('passes byo modes through and clears the pool fields', () => {
    const input = {
      ...exampleSovereignInput,
      fqdn: 'omantel.om',
      request: {
        ...exampleSovereignInput.request,
        fqdn: 'omantel.om',
        domain: {
          mode: 'byo-api',
          byoDomain: 'omantel.om',
          registrar: 'cloudflare',
        },
      },
      overlayPath: undefined,
    };
    const { variables } = parseSovereignTofuInput(input, secrets, 'task-1');
    expect(variables).toMatchObject({
      domain_mode: 'byo-api',
      sovereign_subdomain: '',
      pool_domain: '',
      gitops_path: 'clusters/omantel.om',
    });
  });

  it.each([
    [{ fqdn: '../etc' }, /Invalid input fqdn "..\/etc"/],
    [{ fqdn: 'other.omani.works' }, /validated for "omantel.omani.works"/],
    [{ overlayPath: 'clusters/../../etc' }, /Invalid input overlayPath/],
    [{ gitopsRepoUrl: 42 }, /Invalid input gitopsRepoUrl/],
    [
      { request: { ...exampleSovereignInput.request, regions: [] } },
      /regions: Array must contain at least 1/,
    ],
    [
      {
        request: { ...exampleSovereignInput.request, domain: { mode: 'byo' } },
      },
      /domain\.mode/,
    ],
  ])('rejects %j', (override, message) => {
    expect(() =>
      parseSovereignTofuInput(
        { ...exampleSovereignInput, ...override },
        secrets,
        't',
      ),
    ).toThrow(message);
  });

  it('requires the Hetzner token secret', () => {
    expect(() =>
      parseSovereignTofuInput(exampleSovereignInput, {}, 't'),
    ).toThrow(/Missing secret hetznerToken/);
  });

  it('hashes inputs independently of key order', () => {
    expect(hashRunInputs({ a: 1, b: [{ c: 2, d: 3 }] })).toBe(
      hashRunInputs({ b: [{ d: 3, c: 2 }], a: 1 }),
    );
    expect(hashRunInputs({ a: 1 })).not.toBe(hashRunInputs({ a: 2 }));
  });
});
