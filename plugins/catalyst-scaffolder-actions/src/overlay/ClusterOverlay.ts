import { InputError } from '@backstage/errors';
import type { ResolvedRelease } from '@catalyst/plugin-catalyst-common';
import { HelmRelease as HelmReleaseV2beta2 } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2beta2';
import { HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import type { ReleaseValuesData } from './releaseValues';
import { validateCrdObject } from './validateCrdObject';
import {
  OverlayTls,
  checkOverlayTls,
  clusterIssuers,
  tlsNamespaces,
  tlsReleaseValues,
  wildcardCertificates,
} from './tls';

/**
 * One HelmRelease of the overlay, as `resolveBlueprints` (common package) produces it and
 * `catalyst:blueprints:resolve` hands it on. `name` is the `bp-<name>` object name; `slot` only names the file
 * (`NN-<name>.yaml`) and never decides the install order, which comes from dependsOn alone.
 */
export type OverlayRelease = Omit<
  ResolvedRelease,
  'component' | 'oci' | 'slot'
> & {
  slot?: number | null;
  component?: string | null;
  oci?: string;
};

export interface OverlayFile {
  /** Path relative to the overlay root `clusters/<fqdn>/`. */
  path: string;
  content: string;
}

export interface ClusterOverlayOptions {
  fqdn: string;
  releases: OverlayRelease[];
  releaseValues: ReleaseValuesData;
  /** OCI repository of the Blueprint charts. */
  chartRepository?: string;
  /** flux-system Secret used to pull the charts. */
  pullSecret?: string;
  /** cert-manager issuers and the wildcard certificate (docs/tls.md); without it the overlay has no TLS objects. */
  tls?: OverlayTls;
}

/** The Hetzner load balancer forwards 80 → 31080 and 443 → 31443 (docs/provisioning.md §2.2). */
export const GATEWAY_NODE_PORTS = Object.freeze({ http: 31080, https: 31443 });

export const SOVEREIGN_LABEL = 'catalyst.openova.io/sovereign';
const FQDN_VARIABLE = '${SOVEREIGN_FQDN}';
const LEFTOVER_PATTERNS = [/\$\{[^}]*\}/, /SOVEREIGN_FQDN_PLACEHOLDER/];
const FQDN_PATTERN =
  /^[a-z]([a-z0-9-]*[a-z0-9])?(\.[a-z]([a-z0-9-]*[a-z0-9])?)+$/;
const NEVER_DECLARED_NAMESPACES = new Set(['kube-system', 'default']);

const HCLOUD_PROVIDER_PACKAGE =
  'xpkg.upbound.io/crossplane-contrib/provider-hcloud:v0.4.0';

/**
 * The Flux overlay of one Sovereign, `clusters/<fqdn>/` (docs/provisioning.md §4): a plain Kustomize tree with literal
 * per-Sovereign values. Everything is rendered and checked in memory before a single file is written, so a
 * refused overlay leaves nothing behind.
 */
export class ClusterOverlay {
  readonly fqdn: string;
  private readonly releases: OverlayRelease[];
  private readonly releaseValues: ReleaseValuesData;
  private readonly chartRepository: string;
  private readonly pullSecret: string;
  private readonly tls?: OverlayTls;

  constructor(options: ClusterOverlayOptions) {
    const fqdn = options.fqdn.trim().toLowerCase();
    if (!FQDN_PATTERN.test(fqdn)) {
      throw new InputError(
        `fqdn "${options.fqdn}" is not a valid lower-case FQDN`,
      );
    }
    // The FQDN is written as a label value, which Kubernetes caps at 63 characters.
    if (fqdn.length > 63) {
      throw new InputError(
        `fqdn "${fqdn}" is longer than 63 characters and cannot be the ${SOVEREIGN_LABEL} label value`,
      );
    }
    if (options.releases.length === 0) {
      throw new InputError('releases must not be empty');
    }
    this.fqdn = fqdn;
    this.releases = options.releases;
    this.releaseValues = options.releaseValues;
    this.chartRepository =
      options.chartRepository ?? 'oci://ghcr.io/openova-io';
    this.pullSecret = options.pullSecret ?? 'ghcr-pull';
    if (options.tls) checkOverlayTls(options.tls, fqdn);
    this.tls = options.tls;
  }

  /** Path of the overlay inside a GitOps checkout or workspace. */
  get relativeRoot(): string {
    return `clusters/${this.fqdn}`;
  }

  /** Renders and checks every file. Throws InputError naming the problem; returns files in write order. */
  render(): OverlayFile[] {
    const ordered = this.orderedReleases();
    this.checkGraph(ordered);

    const files: OverlayFile[] = [];
    files.push({
      path: 'kustomization.yaml',
      content: yamlDocs([
        kustomization(['flux-system', 'infrastructure', 'bootstrap-kit']),
      ]),
    });
    files.push({
      path: 'flux-system/kustomization.yaml',
      content: yamlDocs([kustomization([])]),
    });
    files.push(...this.infrastructureFiles());

    const declared = new Set<string>();
    const kitFiles: string[] = [];
    for (const { release, fileNumber } of ordered) {
      const fileName = `${String(fileNumber).padStart(2, '0')}-${shortName(
        release,
      )}.yaml`;
      kitFiles.push(fileName);
      files.push({
        path: `bootstrap-kit/${fileName}`,
        content: yamlDocs(this.releaseObjects(release, declared)),
      });
    }
    files.push({
      path: 'bootstrap-kit/kustomization.yaml',
      content: yamlDocs([kustomization(kitFiles)]),
    });

    for (const file of files) {
      for (const pattern of LEFTOVER_PATTERNS) {
        const match = pattern.exec(file.content);
        if (match) {
          throw new InputError(
            `Refusing to write the overlay: ${this.relativeRoot}/${file.path} still contains "${match[0]}"; every per-Sovereign value must be a literal`,
          );
        }
      }
    }
    return files;
  }

  /**
   * Renders, checks and writes the overlay under `<rootDir>/clusters/<fqdn>/`, replacing a previous render.
   * Returns the written paths relative to rootDir.
   */
  async write(rootDir: string): Promise<string[]> {
    const files = this.render();
    const target = path.join(rootDir, this.relativeRoot);
    await fs.rm(target, { recursive: true, force: true });
    for (const file of files) {
      const filePath = path.join(target, file.path);
      await fs.mkdir(path.dirname(filePath), { recursive: true });
      await fs.writeFile(filePath, file.content, 'utf8');
    }
    return files.map(f => `${this.relativeRoot}/${f.path}`);
  }

  private orderedReleases(): Array<{
    release: OverlayRelease;
    fileNumber: number;
  }> {
    const names = new Set<string>();
    for (const release of this.releases) {
      if (!/^bp-[a-z][a-z0-9-]*$/.test(release.name)) {
        throw new InputError(
          `release name "${release.name}" must be a bp-<name> object name`,
        );
      }
      if (names.has(release.name)) {
        throw new InputError(`release "${release.name}" is listed twice`);
      }
      names.add(release.name);
    }
    const slotOf = (r: OverlayRelease) => r.slot ?? undefined;
    const sorted = [...this.releases].sort((a, b) => {
      const sa = slotOf(a);
      const sb = slotOf(b);
      if (sa !== undefined && sb !== undefined) return sa - sb;
      if (sa !== undefined) return -1;
      if (sb !== undefined) return 1;
      return a.name.localeCompare(b.name);
    });
    let next = Math.max(0, ...sorted.map(r => r.slot ?? 0)) + 1;
    const used = new Set<number>();
    return sorted.map(release => {
      let fileNumber = slotOf(release) ?? next++;
      if (used.has(fileNumber)) fileNumber = next++;
      used.add(fileNumber);
      return { release, fileNumber };
    });
  }

  /** Every dependsOn target must be in the overlay and the graph must be acyclic, or Flux would wait forever. */
  private checkGraph(ordered: Array<{ release: OverlayRelease }>): void {
    const byObjectName = new Map(
      ordered.map(({ release }) => [release.name, release]),
    );
    for (const { release } of ordered) {
      for (const dep of release.dependsOn) {
        if (!byObjectName.has(dep)) {
          throw new InputError(
            `release ${release.name} depends on ${dep}, which is not part of the overlay`,
          );
        }
      }
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, trail: string[]) => {
      const s = state.get(name);
      if (s === 'done') return;
      if (s === 'visiting') {
        const cycle = [...trail.slice(trail.indexOf(name)), name];
        throw new InputError(`dependsOn cycle: ${cycle.join(' → ')}`);
      }
      state.set(name, 'visiting');
      for (const dep of byObjectName.get(name)!.dependsOn) {
        visit(dep, [...trail, name]);
      }
      state.set(name, 'done');
    };
    for (const name of byObjectName.keys()) visit(name, []);
  }

  /** ClusterIssuers and the wildcard certificates; applied after bootstrap-kit installed cert-manager. */
  private tlsFiles(): OverlayFile[] {
    if (!this.tls) return [];
    const labels = { [SOVEREIGN_LABEL]: this.fqdn };
    const namespaces = tlsNamespaces(this.releases.map(shortName));
    return [
      {
        path: 'infrastructure/cluster-issuers.yaml',
        content: yamlDocs(clusterIssuers(this.tls, labels)),
      },
      ...(namespaces.length > 0
        ? [
            {
              path: 'infrastructure/wildcard-certificates.yaml',
              content: yamlDocs(
                wildcardCertificates(this.tls, this.fqdn, namespaces, labels),
              ),
            },
          ]
        : []),
    ];
  }

  private infrastructureFiles(): OverlayFile[] {
    const tlsFiles = this.tlsFiles();
    return [
      {
        path: 'infrastructure/kustomization.yaml',
        content: yamlDocs([
          kustomization([
            'provider-hcloud.yaml',
            'provider-config-hcloud.yaml',
            ...tlsFiles.map(f => f.path.replace(/^infrastructure\//, '')),
          ]),
        ]),
      },
      ...tlsFiles,
      {
        path: 'infrastructure/provider-hcloud.yaml',
        content: yamlDocs([
          {
            apiVersion: 'pkg.crossplane.io/v1',
            kind: 'Provider',
            metadata: {
              name: 'provider-hcloud',
              labels: { [SOVEREIGN_LABEL]: this.fqdn },
            },
            spec: { package: HCLOUD_PROVIDER_PACKAGE },
          },
        ]),
      },
      {
        path: 'infrastructure/provider-config-hcloud.yaml',
        content: yamlDocs([
          {
            apiVersion: 'hcloud.crossplane.io/v1beta1',
            kind: 'ProviderConfig',
            metadata: {
              name: 'default',
              labels: { [SOVEREIGN_LABEL]: this.fqdn },
            },
            spec: {
              credentials: {
                source: 'Secret',
                secretRef: {
                  namespace: 'crossplane-system',
                  name: 'hcloud-credentials',
                  key: 'token',
                },
              },
            },
          },
        ]),
      },
    ];
  }

  private releaseObjects(
    release: OverlayRelease,
    declaredNamespaces: Set<string>,
  ): object[] {
    const objectName = release.name;
    const objects: object[] = [];

    // Two files declaring the same Namespace collide in kustomize, so each is declared once (first slot wins).
    if (
      release.namespace &&
      !NEVER_DECLARED_NAMESPACES.has(release.namespace) &&
      !declaredNamespaces.has(release.namespace)
    ) {
      declaredNamespaces.add(release.namespace);
      objects.push({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: release.namespace,
          labels: { [SOVEREIGN_LABEL]: this.fqdn },
        },
      });
    }

    const repository = {
      apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
      kind: 'HelmRepository',
      metadata: { name: objectName, namespace: 'flux-system' },
      spec: {
        type: 'oci',
        interval: '15m',
        url: this.chartRepository,
        secretRef: { name: this.pullSecret },
      },
    };
    validateFluxObject(objectName, () => new HelmRepository(repository as any));
    objects.push(repository);

    const waitSettings = release.wait ? {} : { disableWait: true };
    const spec: Record<string, unknown> = {
      interval: '15m',
      ...(release.timeout ? { timeout: release.timeout } : {}),
      releaseName: release.releaseName,
      targetNamespace: release.targetNamespace,
      ...(release.dependsOn.length > 0
        ? { dependsOn: release.dependsOn.map(name => ({ name })) }
        : {}),
      chart: {
        spec: {
          chart: release.chart,
          version: release.version,
          sourceRef: {
            kind: 'HelmRepository',
            name: objectName,
            namespace: 'flux-system',
          },
        },
      },
      install: { ...waitSettings, remediation: { retries: 3 } },
      upgrade: {
        ...waitSettings,
        ...(release.upgradePreserveValues ? { preserveValues: true } : {}),
        remediation: { retries: 3 },
      },
    };
    const values = this.valuesFor(release);
    if (Object.keys(values).length > 0) spec.values = values;

    const helmRelease = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: objectName, namespace: 'flux-system' },
      spec,
    };
    // @kubernetes-models/flux-cd 2.3 ships HelmRelease v2beta1/v2beta2 only. Every field written here has the same
    // shape in v2 (v2 only removed deprecated fields we never write), so the spec is checked against v2beta2.
    validateFluxObject(
      objectName,
      () =>
        new HelmReleaseV2beta2({
          ...helmRelease,
          apiVersion: HelmReleaseV2beta2.apiVersion,
        } as any),
    );
    objects.push(helmRelease);
    return objects;
  }

  private valuesFor(release: OverlayRelease): Record<string, unknown> {
    const values = structuredClone(
      (this.releaseValues.releases[shortName(release)] ?? {}) as Record<
        string,
        unknown
      >,
    );
    for (const [dotted, template] of Object.entries(release.fqdnValues ?? {})) {
      setPath(
        values,
        parsePath(dotted),
        template.split(FQDN_VARIABLE).join(this.fqdn),
      );
    }
    if (this.tls) {
      mergeValues(values, tlsReleaseValues(shortName(release), this.fqdn));
    }
    if (release.name === 'bp-cilium') assertGatewayNodePorts(values);
    return values;
  }
}

/** `bp-gitea` → `gitea`: the file name and the key of the shared values. */
function shortName(release: OverlayRelease): string {
  return release.name.replace(/^bp-/, '');
}

/** Defect 14 of the reference: nothing pinned the Gateway NodePorts the load balancer forwards to. */
function assertGatewayNodePorts(values: Record<string, unknown>): void {
  const nodePorts = getPath(values, ['gateway', 'service', 'nodePorts']) as
    | Record<string, unknown>
    | undefined;
  if (
    nodePorts?.http !== GATEWAY_NODE_PORTS.http ||
    nodePorts?.https !== GATEWAY_NODE_PORTS.https
  ) {
    throw new InputError(
      `bp-cilium values must pin gateway.service.nodePorts to http ${
        GATEWAY_NODE_PORTS.http
      } and https ${
        GATEWAY_NODE_PORTS.https
      } (the load balancer targets), got ${JSON.stringify(nodePorts ?? null)}`,
    );
  }
  if (getPath(values, ['cilium', 'gatewayAPI', 'enabled']) !== true) {
    throw new InputError('bp-cilium values must enable cilium.gatewayAPI');
  }
}

/** Deep-merges plain objects into `target`; arrays and scalars from `source` replace what was there. */
function mergeValues(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object' &&
      !Array.isArray(current)
    ) {
      mergeValues(
        current as Record<string, unknown>,
        value as Record<string, unknown>,
      );
    } else {
      target[key] = structuredClone(value);
    }
  }
}

/** {@link validateCrdObject} for the Flux objects of an overlay. */
export function validateFluxObject(
  name: string,
  build: () => { validate(): void },
) {
  validateCrdObject('Flux', name, build);
}

function kustomization(resources: string[]) {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources,
  };
}

function yamlDocs(objects: object[]): string {
  return objects
    .map(o => stringifyYaml(o, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}

/** `ingress.hosts[0].host` → ['ingress', 'hosts', 0, 'host']. */
export function parsePath(dotted: string): Array<string | number> {
  const parts: Array<string | number> = [];
  for (const segment of dotted.split('.')) {
    const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(segment);
    if (!match) throw new InputError(`invalid values path "${dotted}"`);
    parts.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) {
      parts.push(Number(index[1]));
    }
  }
  return parts;
}

function setPath(
  target: Record<string, unknown>,
  parts: Array<string | number>,
  value: unknown,
): void {
  let node: any = target;
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      node[part] = value;
      return;
    }
    const nextIsIndex = typeof parts[i + 1] === 'number';
    if (node[part] === undefined || node[part] === null) {
      node[part] = nextIsIndex ? [] : {};
    }
    node = node[part];
  });
}

function getPath(target: unknown, parts: string[]): unknown {
  let node: any = target;
  for (const part of parts) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[part];
  }
  return node;
}
