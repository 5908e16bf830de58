import {
  sovereignRecordUpsertSchema,
  sovereignRequestRecordSchema,
} from './sovereignRecord';
import { SSH_KEY_FIXTURES } from './wizard/__fixtures__/sshKeys';

const request = {
  org: {
    name: 'Acme Bank',
    email: 'platform@acme.example',
    industry: 'Banking',
    size: '2,000–10,000',
    headquarters: 'Frankfurt, Germany',
    compliance: ['PCI DSS'],
  },
  topology: { template: 'solo', airgap: false, haEnabled: false },
  regions: [
    {
      provider: 'hetzner',
      cloudRegion: 'fsn1',
      controlPlaneSize: 'cpx42',
      workerSize: 'cpx32',
      workerCount: 2,
      airgap: false,
    },
  ],
  components: ['cilium', 'flux'],
  domain: { mode: 'byo-manual', byoDomain: 'acme.example' },
  fqdn: 'acme.example',
  sshPublicKey: SSH_KEY_FIXTURES.ed25519.line,
  hetznerProjectId: 'proj_abc123',
};

const upsert = {
  fqdn: 'acme.example',
  organization: 'Acme Bank',
  owner: 'group:default/acme-platform',
  adminEmail: 'platform@acme.example',
  topology: {
    template: 'solo',
    airgap: false,
    haEnabled: false,
    regions: [request.regions[0]],
  },
  domain: request.domain,
  request,
};

describe('sovereignRequestRecordSchema', () => {
  it('keeps the normalised request as the validate action outputs it', () => {
    expect(sovereignRequestRecordSchema.parse(request)).toEqual(request);
    expect(sovereignRecordUpsertSchema.parse(upsert).request).toEqual(request);
  });

  it.each([
    ['at the top level', { ...request, hetznerToken: 'h'.repeat(64) }, ''],
    [
      'inside the domain',
      { ...request, domain: { ...request.domain, registrarToken: 'k:s' } },
      'domain',
    ],
    [
      'inside a region',
      {
        ...request,
        regions: [{ ...request.regions[0], apiToken: 'secret' }],
      },
      'regions.0',
    ],
    ['inside org', { ...request, org: { ...request.org, token: 't' } }, 'org'],
  ])('refuses a token-like key %s', (_, value, path) => {
    const result = sovereignRecordUpsertSchema.safeParse({
      ...upsert,
      request: value,
    });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0];
    expect(issue.code).toBe('unrecognized_keys');
    expect(issue.path.join('.')).toBe(path ? `request.${path}` : 'request');
  });

  it('refuses a private key pasted as the SSH key, without echoing it', () => {
    const privateKey =
      '-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA -----END OPENSSH PRIVATE KEY-----';
    const result = sovereignRequestRecordSchema.safeParse({
      ...request,
      sshPublicKey: privateKey,
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(['sshPublicKey']);
    expect(JSON.stringify(result.error!.issues)).not.toContain('b3BlbnNz');
  });

  it('requires what OpenTofu needs to destroy the machines', () => {
    const { sshPublicKey, hetznerProjectId, ...rest } = request;
    const result = sovereignRequestRecordSchema.safeParse(rest);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map(i => i.path.join('.')).sort()).toEqual([
      'hetznerProjectId',
      'sshPublicKey',
    ]);
  });
});
