import { InputError } from '@backstage/errors';
import {
  BlueprintDefinition,
  organizationSlugProblem,
  tenantNamespace,
} from '@catalyst/plugin-catalyst-common';
import { HelmRelease as HelmReleaseV2beta2 } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2beta2';
import { HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { SOVEREIGN_LABEL, validateFluxObject } from '../overlay/ClusterOverlay';

export const ORGANIZATION_LABEL = 'catalyst.openova.io/organization';

/** The tenant folder of one Organization inside its Sovereign's overlay. */
export function organizationSubpath(slug: string): string {
  return `tenants/${slug}`;
}

export interface OrganizationApp {
  blueprint: BlueprintDefinition;
  /** The chart version the Sovereign runs (its installed set), which may differ from the catalog's. */
  version: string;
}

export interface OrganizationOverlayFile {
  /** Path relative to the Organization folder `tenants/<slug>/`. */
  path: string;
  content: string;
}

/**
 * The Flux objects of one Organization (tenant) of a Sovereign, `clusters/<fqdn>/tenants/<slug>/`: its Namespace
 * and, when it has one, its first App as a HelmRelease of the `bp-<app>` chart with the chart's own
 * HelmRepository. Everything lives in the Organization's namespace (`tenant-<slug>`, a prefix no platform namespace
 * uses), so removing the folder
 * prunes the whole tenant and no object refers across namespaces.
 */
export class OrganizationOverlay {
  constructor(
    private readonly options: {
      fqdn: string;
      slug: string;
      name: string;
      app?: OrganizationApp;
      /** Secret in the Organization's namespace used to pull the chart; omitted when the charts are public. */
      pullSecret?: string;
    },
  ) {
    const problem = organizationSlugProblem(options.slug);
    if (problem) throw new InputError(`organizationSlug: ${problem}`);
  }

  render(): OrganizationOverlayFile[] {
    const { fqdn, slug, app } = this.options;
    const labels = { [SOVEREIGN_LABEL]: fqdn, [ORGANIZATION_LABEL]: slug };
    const files: OrganizationOverlayFile[] = [
      {
        path: 'namespace.yaml',
        content: yamlDocs([
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: tenantNamespace(slug), labels },
          },
        ]),
      },
    ];
    if (app) {
      files.push({
        path: `${app.blueprint.name.replace(/^bp-/, '')}.yaml`,
        content: yamlDocs(this.appObjects(app, labels)),
      });
    }
    files.unshift({
      path: 'kustomization.yaml',
      content: yamlDocs([
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: files.map(f => f.path),
        },
      ]),
    });
    return files;
  }

  /** Renders into `<dir>` (replacing it) and returns the written file names. */
  async write(dir: string): Promise<string[]> {
    const files = this.render();
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
    for (const file of files) {
      await fs.writeFile(path.join(dir, file.path), file.content, 'utf8');
    }
    return files.map(f => f.path);
  }

  private appObjects(
    app: OrganizationApp,
    labels: Record<string, string>,
  ): object[] {
    const { slug, name, fqdn, pullSecret } = this.options;
    const { blueprint, version } = app;
    const suffix = `/${blueprint.chart}`;
    // OCI HelmRepositories name the registry path; the chart name is appended by the HelmRelease.
    const url = blueprint.oci.endsWith(suffix)
      ? blueprint.oci.slice(0, -suffix.length)
      : blueprint.oci;
    const repository = {
      apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
      kind: 'HelmRepository',
      metadata: {
        name: blueprint.name,
        namespace: tenantNamespace(slug),
        labels,
      },
      spec: {
        type: 'oci',
        interval: '15m',
        url,
        ...(pullSecret ? { secretRef: { name: pullSecret } } : {}),
      },
    };
    validateFluxObject(
      blueprint.name,
      () => new HelmRepository(repository as any),
    );
    const release = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: {
        name: blueprint.name,
        namespace: tenantNamespace(slug),
        labels,
      },
      spec: {
        interval: '15m',
        releaseName: blueprint.name.replace(/^bp-/, ''),
        targetNamespace: tenantNamespace(slug),
        chart: {
          spec: {
            chart: blueprint.chart,
            version,
            sourceRef: {
              kind: 'HelmRepository',
              name: blueprint.name,
              namespace: tenantNamespace(slug),
            },
          },
        },
        install: { remediation: { retries: 3 } },
        upgrade: { remediation: { retries: 3 } },
        values: {
          tenant: {
            slug,
            name,
            namespace: tenantNamespace(slug),
            sovereign: fqdn,
          },
          organization: { slug, name },
        },
      },
    };
    // @kubernetes-models/flux-cd 2.3 has no v2 HelmRelease; every field used here is the same in v2beta2.
    validateFluxObject(
      blueprint.name,
      () =>
        new HelmReleaseV2beta2({
          ...release,
          apiVersion: HelmReleaseV2beta2.apiVersion,
        } as any),
    );
    return [repository, release];
  }
}

function yamlDocs(objects: object[]): string {
  return objects
    .map(o => stringifyYaml(o, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
