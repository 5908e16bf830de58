import { JsonObject } from '@backstage/types';
import { Entity } from '@backstage/catalog-model';
import {
  BlueprintDefinition,
  BlueprintFamilyInfo,
  CATALYST_API_VERSION,
} from '@catalyst/plugin-catalyst-common';
import { blueprintLogo } from './blueprintLogo';
import { providerLocationAnnotations } from './locations';

export const BLUEPRINT_PROVIDER_NAME = 'catalyst-blueprints';
export const FAMILY_LABEL = 'catalyst.openova.io/family';
export const TIER_LABEL = 'catalyst.openova.io/tier';
export const LOGO_SLUG_ANNOTATION = 'catalyst.openova.io/logo-slug';

/** Families are published as `System` entities so "partOf its family" is a relation the catalog can show. */
export function familySystemName(familyId: string): string {
  return `family-${familyId}`;
}

export function familyToSystemEntity(
  family: BlueprintFamilyInfo,
  owner: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: familySystemName(family.id),
      namespace: 'default',
      title: `${family.name} · ${family.subtitle}`,
      description: family.description,
      annotations: providerLocationAnnotations(
        BLUEPRINT_PROVIDER_NAME,
        `families/${family.id}`,
      ),
      labels: { [FAMILY_LABEL]: family.id },
      tags: ['catalyst', 'blueprint-family'],
    },
    spec: { owner },
  };
}

/** The catalog view of one Blueprint (docs/provisioning.md §5.3), chart coordinates included. */
export function blueprintToEntity(
  blueprint: BlueprintDefinition,
  owner: string,
): Entity {
  const logo = blueprintLogo(
    blueprint.componentId ?? blueprint.name.replace(/^bp-/, ''),
    blueprint.title,
  );
  const tags = [blueprint.family, blueprint.tier];
  if (blueprint.alwaysIncluded) tags.push('always-included');
  if (!blueprint.installable) tags.push('not-installable');
  const spec: Record<string, unknown> = {
    owner,
    family: blueprint.family,
    component: blueprint.componentId,
    chart: blueprint.chart,
    version: blueprint.version,
    oci: blueprint.oci,
    ociReference: blueprint.version
      ? `${blueprint.oci}:${blueprint.version}`
      : null,
    namespace: blueprint.namespace,
    dependsOn: blueprint.dependsOn.map(dep => `blueprint:default/${dep}`),
    alwaysIncluded: blueprint.alwaysIncluded,
    defaultSelected: blueprint.defaultSelected,
    tier: blueprint.tier,
    installable: blueprint.installable,
    kitSlot: blueprint.kitSlot,
    upstream: blueprint.upstream,
    logo,
  };
  return {
    apiVersion: CATALYST_API_VERSION,
    kind: 'Blueprint',
    metadata: {
      name: blueprint.name,
      namespace: 'default',
      title: blueprint.title,
      description: blueprint.description,
      annotations: {
        ...providerLocationAnnotations(
          BLUEPRINT_PROVIDER_NAME,
          `blueprints/${blueprint.name}`,
        ),
        ...(logo.type === 'simple-icons' && {
          [LOGO_SLUG_ANNOTATION]: logo.slug,
        }),
      },
      labels: {
        [FAMILY_LABEL]: blueprint.family,
        [TIER_LABEL]: blueprint.tier,
      },
      tags,
    },
    // Built from zod-validated records: plain JSON values only.
    spec: spec as JsonObject,
  };
}
