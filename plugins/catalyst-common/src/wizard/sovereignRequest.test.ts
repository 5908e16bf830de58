import { readFileSync } from 'fs';
import { resolve } from 'path';
import { ZodError } from 'zod/v3';
import { CATALYST_DATA_FILES, parseCatalystData } from '../data/catalystData';
import { defaultSelection } from '../selection/componentSelection';
import { SSH_KEY_FIXTURES } from './__fixtures__/sshKeys';
import {
  assembleSovereignRequest,
  assembleSovereignSecrets,
  createSovereignRequestSchema,
  createWizardSchemas,
  formatRequestIssues,
  normalizeDomainMode,
  resolveFqdn,
} from './sovereignRequest';

const root = resolve(__dirname, '../..');
const read = (f: string) => readFileSync(resolve(root, f), 'utf8');
const data = parseCatalystData({
  components: read(CATALYST_DATA_FILES.components),
  nodeSizes: read(CATALYST_DATA_FILES.nodeSizes),
  bootstrapKit: read(CATALYST_DATA_FILES.bootstrapKit),
});

const HETZNER_TOKEN = 'Hk3'.repeat(22); // 66 characters

function validParameters(): any {
  return {
    orgName: '  Omantel  ',
    orgHeadquarters: 'Muscat, Oman',
    orgIndustry: 'Telecommunications',
    orgSize: '2,000–10,000',
    orgCompliance: ['GDPR', 'ISO 27001', 'GDPR'],
    topology: { template: 'zoned', airgap: false, haEnabled: true },
    regions: [
      {
        provider: 'hetzner',
        cloudRegion: 'fsn1',
        controlPlaneSize: 'cpx32',
        workerSize: 'cpx32',
        workerCount: 0,
      },
      {
        provider: 'hetzner',
        cloudRegion: 'nbg1',
        controlPlaneSize: 'cpx42',
        workerSize: 'cx43',
        workerCount: 3,
      },
    ],
    hetznerProjectId: ' proj_abc123 ',
    sshPublicKey: SSH_KEY_FIXTURES.ed25519.line,
    components: ['temporal', 'bge'],
    domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: ' Omantel ' },
    orgEmail: 'platform@omantel.om',
  };
}

/** Runs assembleSovereignRequest and returns the formatted issues (or [] when it succeeds). */
function problems(
  parameters: unknown,
  secrets: unknown = { hetznerToken: HETZNER_TOKEN },
) {
  try {
    assembleSovereignRequest(data, parameters, secrets);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ZodError);
    return formatRequestIssues(e as ZodError);
  }
}

describe('assembleSovereignRequest', () => {
  it('normalises a valid wizard submission into a SovereignRequest', () => {
    const request = assembleSovereignRequest(data, validParameters(), {
      hetznerToken: ` ${HETZNER_TOKEN} `,
    });
    expect(request.org).toEqual({
      name: 'Omantel',
      email: 'platform@omantel.om',
      industry: 'Telecommunications',
      size: '2,000–10,000',
      headquarters: 'Muscat, Oman',
      compliance: ['GDPR', 'ISO 27001'],
    });
    expect(request.topology).toEqual({
      template: 'zoned',
      airgap: false,
      haEnabled: true,
    });
    expect(request.regions).toEqual([
      {
        provider: 'hetzner',
        cloudRegion: 'fsn1',
        controlPlaneSize: 'cpx32',
        workerSize: '',
        workerCount: 0,
        airgap: false,
      },
      {
        provider: 'hetzner',
        cloudRegion: 'nbg1',
        controlPlaneSize: 'cpx42',
        workerSize: 'cx43',
        workerCount: 3,
        airgap: false,
      },
    ]);
    // Closed: alwaysIncluded + temporal's dependsOn; what has no published Blueprint is never added.
    expect(request.components).toEqual(
      expect.arrayContaining(['flux', 'cnpg', 'temporal', 'bge']),
    );
    expect(request.components).not.toContain('opentofu');
    expect(request.components).not.toContain('ferretdb');
    expect(request.components).toEqual([...request.components].sort());
    expect(request.domain).toEqual({
      mode: 'pool',
      poolDomain: 'omani.works',
      subdomain: 'omantel',
    });
    expect(request.fqdn).toBe('omantel.omani.works');
    expect(request.hetznerProjectId).toBe('proj_abc123');
    expect(JSON.stringify(request)).not.toContain(HETZNER_TOKEN);
    // The result passes the request schema the later actions use.
    expect(createSovereignRequestSchema(data).parse(request)).toEqual(request);
  });

  it('marks the AIR-GAP region last', () => {
    const params = validParameters();
    params.topology = { template: 'solo', airgap: true, haEnabled: false };
    params.regions = [params.regions[0], { ...params.regions[1] }];
    const request = assembleSovereignRequest(data, params, {
      hetznerToken: HETZNER_TOKEN,
    });
    expect(request.regions.map(r => r.airgap)).toEqual([false, true]);

    params.regions[0].airgap = true;
    expect(problems(params)).toEqual([
      'regions[0].airgap: must be false: only the last region of an AIR-GAP topology is isolated',
    ]);
  });

  it('reports every problem at once with its field path', () => {
    const params = validParameters();
    params.orgName = '   ';
    params.orgIndustry = 'Fintech';
    params.orgSize = '2,000-10,000'; // hyphen, not an en dash
    params.orgCompliance = ['GDPR', 'SOX'];
    params.regions[0].cloudRegion = 'us-east-1';
    params.regions[1].workerSize = '';
    params.regions[1].workerCount = 51;
    params.hetznerProjectId = '';
    params.components = ['flux', 'kafka'];
    params.domain.subdomain = '1omantel';
    params.orgEmail = 'platform@omantel';
    expect(problems(params, { hetznerToken: 'short' })).toEqual(
      expect.arrayContaining([
        'orgName: must not be blank',
        'orgIndustry: must be one of: Financial Services, Banking, Insurance, Healthcare, Telecommunications, Energy & Utilities, Retail, Manufacturing, Government, Technology, Other',
        'orgSize: must be one of: Under 100, 100–500, 500–2,000, 2,000–10,000, 10,000+',
        'orgCompliance[1]: must be one of: PCI DSS, ISO 27001, SOC 2, GDPR, HIPAA, DORA, NIS2, FedRAMP',
        'regions[0].cloudRegion: "us-east-1" is not a Hetzner Cloud region; choose one of fsn1, nbg1, hel1, ash, hil',
        'regions[1].workerCount: must be between 0 and 50',
        'hetznerProjectId: is required: copy the project ID from the Hetzner Console',
        'components[1]: unknown component "kafka"',
        'domain.subdomain: must start with a letter, not a digit',
        'orgEmail: must be an email address such as admin@example.com',
        'secrets.hetznerToken: is 5 characters; a Hetzner Read & Write API token has at least 64',
      ]),
    );
  });

  it('refuses what cannot be installed, naming the missing Blueprint', () => {
    const params = validParameters();
    params.components = ['librechat', 'clickhouse', 'grafana'];
    expect(problems(params)).toEqual([
      'components: ClickHouse is not installable yet: no Blueprint is published for it',
      'components: LibreChat needs FerretDB, which is not installable yet (no published Blueprint)',
    ]);
  });

  it('requires a worker size only when there are workers', () => {
    const params = validParameters();
    params.regions[1].workerSize = '';
    expect(problems(params)).toEqual([
      'regions[1].workerSize: is required when workerCount is above 0',
    ]);
    params.regions[1].workerSize = 'm6i.large';
    expect(problems(params)).toEqual([
      'regions[1].workerSize: "m6i.large" is not a Hetzner Cloud size',
    ]);
    params.regions[1].workerCount = 2.5;
    params.regions[1].workerSize = 'cx43';
    expect(problems(params)).toEqual([
      'regions[1].workerCount: must be a whole number',
    ]);
  });

  it('checks SKUs against the provider catalog', () => {
    const params = validParameters();
    params.regions[0].controlPlaneSize = 'cx42';
    expect(problems(params)).toEqual([
      'regions[0].controlPlaneSize: "cx42" is not a Hetzner Cloud size',
    ]);
  });

  it('requires as many regions as the topology has', () => {
    const params = validParameters();
    params.topology.template = 'citadel';
    expect(problems(params)).toEqual([
      'regions: must have 4 regions for the citadel topology, not 2',
    ]);
    params.topology = { template: 'meshed' };
    expect(problems(params)).toEqual([
      'topology.template: must be one of: citadel, triangle, dual, zoned, compact, solo',
    ]);
    delete params.topology;
    expect(problems(params)).toEqual([
      'topology: is required: choose a topology',
    ]);
  });

  it('checks the subdomain, reserved names and the pool in pool mode', () => {
    const params = validParameters();
    params.domain.subdomain = 'Console';
    expect(problems(params)).toEqual([
      'domain.subdomain: "console" is reserved; choose another name',
    ]);
    params.domain.subdomain = 'omantel-';
    expect(problems(params)).toEqual([
      'domain.subdomain: must not end with a hyphen',
    ]);
    params.domain = { mode: 'pool', subdomain: 'omantel' };
    expect(problems(params)).toEqual([
      'domain.poolDomain: is required: choose a pool domain',
    ]);
  });

  it('checks the BYO domain and the registrar', () => {
    const params = validParameters();
    params.domain = {
      mode: 'byo-manual',
      byoDomain: ' Bank.Example.COM ',
      subdomain: 'stale',
    };
    const request = assembleSovereignRequest(data, params, {
      hetznerToken: HETZNER_TOKEN,
    });
    expect(request.domain).toEqual({
      mode: 'byo-manual',
      byoDomain: 'bank.example.com',
    });
    expect(request.fqdn).toBe('bank.example.com');

    params.domain = { mode: 'byo-manual', byoDomain: 'localhost' };
    expect(problems(params)).toEqual([
      'domain.byoDomain: must have at least two labels, e.g. example.com',
    ]);
    params.domain = {
      mode: 'byo-api',
      byoDomain: 'bank.example.com',
      registrar: 'gandi',
    };
    expect(
      problems(params, { hetznerToken: HETZNER_TOKEN, registrarToken: 'x' }),
    ).toEqual([
      'domain.registrar: must be one of: cloudflare, namecheap, godaddy, ovh, dynadot',
    ]);
    params.domain = { mode: 'byo-api', byoDomain: 'bank.example.com' };
    expect(problems(params, { hetznerToken: HETZNER_TOKEN })).toEqual([
      'domain.registrar: is required: one of cloudflare, namecheap, godaddy, ovh, dynadot',
      'secrets.registrarToken: is required for byo-api',
    ]);
  });

  it('checks the registrar token format without echoing it', () => {
    const params = validParameters();
    params.domain = {
      mode: 'byo-api',
      byoDomain: 'bank.example.com',
      registrar: 'dynadot',
    };
    const secretValue = 'onlyTheKeyPart';
    const found = problems(params, {
      hetznerToken: HETZNER_TOKEN,
      registrarToken: secretValue,
    });
    expect(found).toEqual([
      'secrets.registrarToken: is not in the Dynadot token format; expected key:secret from the Dynadot account API page',
    ]);
    expect(found.join()).not.toContain(secretValue);

    params.domain.registrar = 'ovh';
    expect(
      problems(params, { hetznerToken: HETZNER_TOKEN, registrarToken: 'a::c' }),
    ).toEqual([
      'secrets.registrarToken: is not in the OVH token format; expected appKey:appSecret:consumerKey',
    ]);
    params.domain.registrar = 'namecheap';
    expect(
      problems(params, {
        hetznerToken: HETZNER_TOKEN,
        registrarToken: 'user:key:user2:203.0.113.9',
      }),
    ).toEqual([]);
    const request = assembleSovereignRequest(data, params, {
      hetznerToken: HETZNER_TOKEN,
      registrarToken: 'user:key:203.0.113.9',
    });
    expect(request.domain.registrar).toBe('namecheap');
    expect(
      assembleSovereignSecrets(data, params, {
        hetznerToken: HETZNER_TOKEN,
        registrarToken: ' user:key:203.0.113.9 ',
      }),
    ).toEqual({
      providerTokens: { hetzner: HETZNER_TOKEN },
      registrarToken: 'user:key:203.0.113.9',
    });
  });

  it('requires one token per distinct provider; only Hetzner has the 64-character rule', () => {
    const params = validParameters();
    params.regions[1] = {
      provider: 'aws',
      cloudRegion: 'eu-west-1',
      controlPlaneSize: 'm6i.xlarge',
      workerSize: '',
      workerCount: 0,
    };
    expect(problems(params)).toEqual([
      'secrets.awsToken: is required: the Amazon Web Services API credential',
    ]);
    expect(
      assembleSovereignSecrets(data, params, {
        hetznerToken: HETZNER_TOKEN,
        awsToken: 'AKIAEXAMPLE:shortsecret',
      }),
    ).toEqual({
      providerTokens: {
        hetzner: HETZNER_TOKEN,
        aws: 'AKIAEXAMPLE:shortsecret',
      },
    });
  });

  it('rejects demo-mode tokens', () => {
    const demo = `demo-mode-hetzner-${'x'.repeat(50)}`;
    expect(problems(validParameters(), { hetznerToken: demo })).toEqual([
      'secrets.hetznerToken: is a demo-mode token; a demo token can never provision a Sovereign',
    ]);
  });

  it('rejects secrets sent in parameters', () => {
    const params = validParameters();
    params.hetznerToken = HETZNER_TOKEN;
    const found = problems(params);
    expect(found).toEqual([
      'hetznerToken: is a secret and must be sent in the task secrets, never in parameters',
    ]);
    expect(found.join()).not.toContain(HETZNER_TOKEN);
  });

  it('rejects a bad SSH key with the checker message', () => {
    const params = validParameters();
    params.sshPublicKey = SSH_KEY_FIXTURES.rsa1024.line;
    expect(problems(params)).toEqual([
      'sshPublicKey: RSA key is 1024 bits; at least 2048 are required',
    ]);
  });
});

describe('page schemas', () => {
  const schemas = createWizardSchemas(data);

  it('check one page alone', () => {
    expect(
      schemas.org.safeParse({
        orgName: 'Acme',
        orgIndustry: 'Banking',
        orgSize: 'Under 100',
      }).success,
    ).toBe(true);
    expect(
      schemas.credentials.safeParse({
        hetznerProjectId: 'p',
        sshPublicKey: 'ssh-rsa',
      }).success,
    ).toBe(false);
    expect(
      schemas.components.parse({
        components: defaultSelection(data.components),
      }).components,
    ).toHaveLength(32);
    expect(
      schemas.domain.safeParse({
        domain: { mode: 'byo-manual', byoDomain: 'example.com' },
        orgEmail: 'a@example.com',
      }).success,
    ).toBe(true);
  });
});

describe('createSovereignRequestSchema', () => {
  it('rejects a request whose components are not closed or whose fqdn disagrees', () => {
    const request = assembleSovereignRequest(data, validParameters(), {
      hetznerToken: HETZNER_TOKEN,
    });
    const result = createSovereignRequestSchema(data).safeParse({
      ...request,
      components: ['harbor'],
      fqdn: 'other.omani.works',
    });
    expect(result.success).toBe(false);
    const messages = formatRequestIssues((result as any).error);
    expect(messages).toContainEqual(
      expect.stringMatching(/^components: is not closed: missing .*cnpg/),
    );
    expect(messages).toContain(
      'fqdn: must be omantel.omani.works (from the domain), not other.omani.works',
    );
  });
});

describe('helpers', () => {
  it('resolveFqdn', () => {
    expect(
      resolveFqdn({
        mode: 'pool',
        subdomain: ' Om an ',
        poolDomain: 'omani.works',
      }),
    ).toBe('oman.omani.works');
    expect(resolveFqdn({ mode: 'byo-api', byoDomain: ' Example.COM ' })).toBe(
      'example.com',
    );
    expect(resolveFqdn({ mode: 'pool', subdomain: '' })).toBeUndefined();
  });

  it('normalizeDomainMode maps legacy values', () => {
    expect(normalizeDomainMode('byo')).toBe('byo-manual');
    expect(normalizeDomainMode('byo-api')).toBe('byo-api');
    expect(normalizeDomainMode('weird')).toBe('pool');
  });
});
