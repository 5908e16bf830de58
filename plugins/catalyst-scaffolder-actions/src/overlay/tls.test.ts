import { InputError } from '@backstage/errors';
import execa from 'execa';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { resolveBlueprints } from '@catalyst/plugin-catalyst-common';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';
import { ClusterOverlay, OverlayRelease } from './ClusterOverlay';
import { loadReleaseValues } from './releaseValues';
import {
  DNS01_TSIG_SECRET,
  OverlayTls,
  clusterIssuers,
  wildcardSecretName,
} from './tls';

const FQDN = 'omantel.omani.works';
const data = loadCatalystData();
const releaseValues = loadReleaseValues();

const TLS: OverlayTls = {
  email: 'platform@omantel.example',
  servers: {
    'letsencrypt-production': 'https://acme-v02.api.letsencrypt.org/directory',
    'letsencrypt-staging':
      'https://acme-staging-v02.api.letsencrypt.org/directory',
  },
  issuer: 'letsencrypt-staging',
  dns01: {
    zone: FQDN,
    nameserver: 'ns1.openova.io:53',
    keyName: `dns01.${FQDN}`,
    algorithm: 'hmac-sha256',
  },
};

function releases(components?: string[]): OverlayRelease[] {
  return resolveBlueprints(
    data,
    components ??
      data.bootstrapKit.entries
        .map(e => e.component)
        .filter((c): c is string => c !== null),
  ).releases;
}

describe('ClusterOverlay TLS', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'overlay-tls-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("renders Let's Encrypt ClusterIssuers with an rfc2136 solver and a wildcard certificate per ingress namespace, and kustomize builds it", async () => {
    const overlay = new ClusterOverlay({
      fqdn: FQDN,
      releases: releases(),
      releaseValues,
      tls: TLS,
    });
    const written = await overlay.write(dir);
    expect(written).toEqual(
      expect.arrayContaining([
        `clusters/${FQDN}/infrastructure/cluster-issuers.yaml`,
        `clusters/${FQDN}/infrastructure/wildcard-certificates.yaml`,
      ]),
    );
    const { stdout } = await execa('kubectl', [
      'kustomize',
      path.join(dir, 'clusters', FQDN),
    ]);
    const objects = parseAllDocuments(stdout).map(d => d.toJS());

    const issuers = objects.filter(o => o.kind === 'ClusterIssuer');
    expect(issuers.map(i => i.metadata.name).sort()).toEqual([
      'letsencrypt-production',
      'letsencrypt-staging',
    ]);
    for (const issuer of issuers) {
      expect(issuer.spec.acme).toEqual({
        server:
          TLS.servers[issuer.metadata.name as keyof OverlayTls['servers']],
        email: TLS.email,
        privateKeySecretRef: { name: `${issuer.metadata.name}-account` },
        solvers: [
          {
            selector: { dnsZones: [FQDN] },
            dns01: {
              rfc2136: {
                nameserver: 'ns1.openova.io:53',
                tsigKeyName: `dns01.${FQDN}`,
                tsigAlgorithm: 'HMACSHA256',
                // Referenced by name: the secret itself reaches the cluster through cloud-init, never git.
                tsigSecretSecretRef: {
                  name: DNS01_TSIG_SECRET.name,
                  key: DNS01_TSIG_SECRET.key,
                },
              },
            },
          },
        ],
      });
      expect(issuer.metadata.labels['catalyst.openova.io/sovereign']).toBe(
        FQDN,
      );
    }

    const certificates = objects.filter(o => o.kind === 'Certificate');
    expect(certificates.map(c => c.metadata.namespace).sort()).toEqual([
      'catalyst-system',
      'gitea',
      'harbor',
    ]);
    for (const certificate of certificates) {
      expect(certificate.spec).toMatchObject({
        secretName: wildcardSecretName(FQDN),
        dnsNames: [`*.${FQDN}`, FQDN],
        issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-staging' },
      });
    }
    // The namespaces the certificates go to are declared by the kit.
    const namespaces = new Set(
      objects.filter(o => o.kind === 'Namespace').map(n => n.metadata.name),
    );
    for (const c of certificates) {
      expect(namespaces.has(c.metadata.namespace)).toBe(true);
    }
    // No key material in the overlay: no Secret object, nothing that looks like the TSIG secret.
    expect(objects.some(o => o.kind === 'Secret')).toBe(false);

    const values = (name: string) =>
      objects.find(o => o.kind === 'HelmRelease' && o.metadata.name === name)
        .spec.values;
    const secretName = wildcardSecretName(FQDN);
    expect(values('bp-gitea').ingress).toEqual({
      hosts: [
        { host: `gitea.${FQDN}`, paths: [{ path: '/', pathType: 'Prefix' }] },
      ],
      tls: [{ secretName, hosts: [`gitea.${FQDN}`] }],
    });
    expect(values('bp-catalyst-platform').ingress.tls).toEqual([
      {
        secretName,
        hosts: [`console.${FQDN}`, `admin.${FQDN}`, `api.${FQDN}`, FQDN],
      },
    ]);
    expect(values('bp-catalyst-platform').ingress.hosts.console.host).toBe(
      `console.${FQDN}`,
    );
    expect(values('bp-harbor').harbor.expose).toMatchObject({
      tls: { enabled: true, certSource: 'secret', secret: { secretName } },
      ingress: { hosts: { core: `harbor.${FQDN}` } },
    });
  });

  it('leaves TLS out without the option, and certificates out when no release serves one', () => {
    const plain = new ClusterOverlay({
      fqdn: FQDN,
      releases: releases(),
      releaseValues,
    }).render();
    expect(plain.some(f => f.path.includes('cluster-issuers'))).toBe(false);

    const minimal = new ClusterOverlay({
      fqdn: FQDN,
      releases: releases([]).filter(r =>
        ['bp-cilium', 'bp-cert-manager'].includes(r.name),
      ),
      releaseValues,
      tls: TLS,
    }).render();
    expect(minimal.map(f => f.path)).toContain(
      'infrastructure/cluster-issuers.yaml',
    );
    expect(minimal.map(f => f.path)).not.toContain(
      'infrastructure/wildcard-certificates.yaml',
    );
  });

  it.each([
    [{ email: 'not-an-email' }, 'tls.email'],
    [
      { servers: { ...TLS.servers, 'letsencrypt-staging': 'http://x' } },
      'tls.servers.letsencrypt-staging',
    ],
    [{ issuer: 'letsencrypt-prod' }, 'tls.issuer must be one of'],
    [
      { dns01: { ...TLS.dns01, zone: 'other.omani.works' } },
      "is not the Sovereign's zone omantel.omani.works",
    ],
    [{ dns01: { ...TLS.dns01, nameserver: 'ns1' } }, 'must be host:port'],
    [{ dns01: { ...TLS.dns01, keyName: 'a b' } }, 'not a TSIG key name'],
    [{ dns01: { ...TLS.dns01, algorithm: 'hmac-sha3' } }, 'not supported'],
  ])(
    'refuses %j with a specific error before anything is written',
    (change, message) => {
      const build = () =>
        new ClusterOverlay({
          fqdn: FQDN,
          releases: releases(),
          releaseValues,
          tls: { ...TLS, ...change } as OverlayTls,
        });
      expect(build).toThrow(InputError);
      expect(build).toThrow(message);
    },
  );

  it('checks the issuers against the cert-manager CRD schema', () => {
    expect(() =>
      clusterIssuers(
        { ...TLS, dns01: { ...TLS.dns01, nameserver: undefined as any } },
        {},
      ),
    ).toThrow(
      /ClusterIssuer letsencrypt-production does not match its CRD schema: .*nameserver/,
    );
  });
});
