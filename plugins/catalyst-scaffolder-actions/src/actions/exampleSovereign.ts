import {
  defaultSelection,
  resolveBlueprints,
} from '@catalyst/plugin-catalyst-common';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';

/**
 * One consistent Sovereign used by every action's examples (shown on /create/actions) and run through the
 * handlers by the `.examples.test.ts` files.
 */
const data = loadCatalystData();

export const EXAMPLE_FQDN = 'omantel.omani.works';
export const EXAMPLE_ENTITY_NAME = 'omantel-omani-works';

/** The example's first region, topology and keys: shared by every example input below and the tofu examples. */
export const exampleRegion = {
  provider: 'hetzner',
  cloudRegion: 'fsn1',
  controlPlaneSize: 'cpx52',
  workerSize: 'cpx32',
  workerCount: 2,
};
export const exampleTopology = {
  template: 'solo',
  airgap: false,
  haEnabled: false,
};
export const EXAMPLE_SSH_PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl catalyst@omantel.omani.works';
export const EXAMPLE_HETZNER_PROJECT_ID = 'proj_abc123';

export const exampleDomain = {
  mode: 'pool' as const,
  poolDomain: 'omani.works',
  subdomain: 'omantel',
};

/** The fields every example request (and the tofu actions' example input) repeats: topology, domain, FQDN, keys. */
export const exampleRequestBase = {
  topology: exampleTopology,
  domain: exampleDomain,
  fqdn: EXAMPLE_FQDN,
  sshPublicKey: EXAMPLE_SSH_PUBLIC_KEY,
  hetznerProjectId: EXAMPLE_HETZNER_PROJECT_ID,
};

export const exampleParameters = {
  orgName: 'Omantel',
  orgIndustry: 'Telecommunications',
  orgSize: '2,000–10,000',
  orgHeadquarters: 'Muscat, Oman',
  orgCompliance: ['ISO 27001'],
  topology: exampleTopology,
  regions: [exampleRegion],
  hetznerProjectId: EXAMPLE_HETZNER_PROJECT_ID,
  sshPublicKey: EXAMPLE_SSH_PUBLIC_KEY,
  components: defaultSelection(data.components),
  domain: { ...exampleDomain },
  orgEmail: 'platform@omantel.om',
};

export const exampleByoDomain = {
  mode: 'byo-api' as const,
  byoDomain: 'omantel.om',
  registrar: 'cloudflare',
};

/** A small but complete release set: cilium, cert-manager and gitea with everything they depend on. */
export const exampleReleases = (() => {
  const all = resolveBlueprints(data, exampleParameters.components).releases;
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    all.find(r => r.name === name)!.dependsOn.forEach(add);
  };
  ['bp-cilium', 'bp-gitea'].forEach(add);
  return all.filter(r => wanted.has(r.name));
})();
