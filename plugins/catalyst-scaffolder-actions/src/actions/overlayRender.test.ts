import execa from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { exampleReleases } from './exampleSovereign';
import { createOverlayRenderAction } from './overlayRender';

describe('catalyst:overlay:render', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  it('writes clusters/<fqdn>/ into the workspace and kubectl kustomize renders it', async () => {
    const { ctx, outputs } = createActionContext({
      input: { fqdn: 'omantel.omani.works', releases: exampleReleases },
      workspacePath: env.workspacePath,
    });
    await createOverlayRenderAction({
      releaseValues: env.releaseValues,
    }).handler(ctx);
    expect(outputs.path).toBe('clusters/omantel.omani.works');
    expect(outputs.files).toContain(
      'clusters/omantel.omani.works/bootstrap-kit/10-gitea.yaml',
    );
    const { stdout } = await execa('kubectl', [
      'kustomize',
      path.join(env.workspacePath, outputs.path),
    ]);
    expect(stdout).toContain('host: gitea.omantel.omani.works');
    expect(stdout).not.toMatch(/\$\{|SOVEREIGN_FQDN_PLACEHOLDER/);
  });

  const tlsSettings = {
    servers: {
      'letsencrypt-production': 'https://acme.example.test/prod',
      'letsencrypt-staging': 'https://acme.example.test/staging',
    },
    issuer: 'letsencrypt-staging' as const,
  };
  const dns01 = {
    zone: 'omantel.omani.works',
    nameserver: 'ns1.openova.io:53',
    keyName: 'dns01.omantel.omani.works',
    algorithm: 'hmac-sha256',
  };

  it('renders the ClusterIssuers and the wildcard certificate from the DNS-01 setup and outputs the TLS facts', async () => {
    const { ctx, outputs, logged } = createActionContext({
      input: {
        fqdn: 'omantel.omani.works',
        releases: exampleReleases,
        dns01,
        email: 'platform@omantel.example',
      },
      workspacePath: env.workspacePath,
    });
    await createOverlayRenderAction({
      releaseValues: env.releaseValues,
      tls: tlsSettings,
    }).handler(ctx);
    expect(outputs.files).toContain(
      'clusters/omantel.omani.works/infrastructure/cluster-issuers.yaml',
    );
    expect(outputs.tls).toEqual({
      issuer: 'letsencrypt-staging',
      acmeServer: 'https://acme.example.test/staging',
      dnsNames: ['*.omantel.omani.works', 'omantel.omani.works'],
      certificateSecret: 'omantel-omani-works-wildcard-tls',
      dns01,
    });
    expect(logged()).toContain(
      'certificates from letsencrypt-staging by DNS-01 on ns1.openova.io:53 with key dns01.omantel.omani.works',
    );
  });

  it('refuses a DNS-01 setup without the ACME e-mail, or one that is not the Sovereign zone, writing nothing', async () => {
    for (const [input, message] of [
      [{ dns01 }, /dns01 and email go together/],
      [
        {
          dns01: { ...dns01, zone: 'other.omani.works' },
          email: 'platform@omantel.example',
        },
        /not the Sovereign's zone/,
      ],
    ] as const) {
      const { ctx } = createActionContext({
        input: {
          fqdn: 'omantel.omani.works',
          releases: exampleReleases,
          ...input,
        },
        workspacePath: env.workspacePath,
      });
      await expect(
        createOverlayRenderAction({
          releaseValues: env.releaseValues,
          tls: tlsSettings,
        }).handler(ctx),
      ).rejects.toThrow(message);
      await expect(
        fs.stat(path.join(env.workspacePath, 'clusters')),
      ).rejects.toThrow(/ENOENT/);
    }
  });

  it('writes nothing when a variable would survive', async () => {
    const releases = exampleReleases.map(r =>
      r.name === 'bp-gitea'
        ? { ...r, fqdnValues: { 'ingress.hosts[0].host': 'gitea.${DOMAIN}' } }
        : r,
    );
    const { ctx } = createActionContext({
      input: { fqdn: 'omantel.omani.works', releases },
      workspacePath: env.workspacePath,
    });
    await expect(
      createOverlayRenderAction({ releaseValues: env.releaseValues }).handler(
        ctx,
      ),
    ).rejects.toThrow(
      /Refusing to write the overlay: .*10-gitea\.yaml still contains "\$\{DOMAIN\}"/,
    );
    await expect(fs.readdir(env.workspacePath)).resolves.toEqual([]);
  });
});
