import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  CatalogFilterBlueprint,
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';

const isSovereign = { kind: 'Sovereign' };
const isBlueprint = { kind: 'Blueprint' };
const isVoucher = { kind: 'Voucher' };
const isOrganization = { kind: 'Group', 'spec.type': 'organization' };

const sovereignOverviewCard = EntityCardBlueprint.make({
  name: 'catalyst-sovereign-overview',
  params: {
    filter: isSovereign,
    type: 'info',
    loader: () =>
      import('./sovereign/SovereignOverviewCard').then(m => (
        <m.SovereignOverviewCard />
      )),
  },
});

const sovereignGitOpsCard = EntityCardBlueprint.make({
  name: 'catalyst-sovereign-gitops',
  params: {
    filter: isSovereign,
    type: 'info',
    loader: () =>
      import('./sovereign/SovereignGitOpsCard').then(m => (
        <m.SovereignGitOpsCard />
      )),
  },
});

const sovereignBlueprintGraphCard = EntityCardBlueprint.make({
  name: 'catalyst-sovereign-blueprint-graph',
  params: {
    filter: isSovereign,
    type: 'content',
    loader: () =>
      import('./sovereign/BlueprintGraphCard').then(m => (
        <m.BlueprintGraphCard />
      )),
  },
});

const sovereignDnsRecordsCard = EntityCardBlueprint.make({
  name: 'catalyst-sovereign-dns-records',
  params: {
    filter: isSovereign,
    type: 'content',
    loader: () =>
      import('./sovereign/SovereignDnsRecordsCard').then(m => (
        <m.SovereignDnsRecordsCard />
      )),
  },
});

const sovereignTlsCard = EntityCardBlueprint.make({
  name: 'catalyst-sovereign-tls',
  params: {
    filter: isSovereign,
    type: 'info',
    loader: () =>
      import('./sovereign/SovereignTlsCard').then(m => <m.SovereignTlsCard />),
  },
});

const sovereignEventsContent = EntityContentBlueprint.make({
  name: 'catalyst-sovereign-events',
  params: {
    path: '/events',
    title: 'Events',
    filter: isSovereign,
    loader: () =>
      import('./sovereign/SovereignEventsContent').then(m => (
        <m.SovereignEventsContent />
      )),
  },
});

const blueprintOverviewCard = EntityCardBlueprint.make({
  name: 'catalyst-blueprint-overview',
  params: {
    filter: isBlueprint,
    type: 'info',
    loader: () =>
      import('./blueprint/BlueprintOverviewCard').then(m => (
        <m.BlueprintOverviewCard />
      )),
  },
});

const blueprintRelationsCard = EntityCardBlueprint.make({
  name: 'catalyst-blueprint-dependencies',
  params: {
    filter: isBlueprint,
    type: 'content',
    loader: () =>
      import('./blueprint/BlueprintRelationsCard').then(m => (
        <m.BlueprintRelationsCard />
      )),
  },
});

const blueprintSovereignsCard = EntityCardBlueprint.make({
  name: 'catalyst-blueprint-sovereigns',
  params: {
    filter: isBlueprint,
    type: 'content',
    loader: () =>
      import('./blueprint/BlueprintSovereignsCard').then(m => (
        <m.BlueprintSovereignsCard />
      )),
  },
});

const voucherOverviewCard = EntityCardBlueprint.make({
  name: 'catalyst-voucher-overview',
  params: {
    filter: isVoucher,
    type: 'info',
    loader: () =>
      import('./voucher/VoucherOverviewCard').then(m => (
        <m.VoucherOverviewCard />
      )),
  },
});

const organizationOverviewCard = EntityCardBlueprint.make({
  name: 'catalyst-organization-overview',
  params: {
    filter: isOrganization,
    type: 'info',
    loader: () =>
      import('./organization/OrganizationOverviewCard').then(m => (
        <m.OrganizationOverviewCard />
      )),
  },
});

const blueprintFamilyFilter = CatalogFilterBlueprint.make({
  name: 'catalyst-blueprint-family',
  params: {
    loader: () =>
      import('./blueprint/BlueprintFamilyPicker').then(m => (
        <m.BlueprintFamilyPicker />
      )),
  },
});

/**
 * The Sovereign, Blueprint and Voucher entity pages and the Blueprint family filter of the catalog index,
 * installed into the catalog plugin.
 */
export const catalystEntityPagesModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [
    sovereignOverviewCard,
    sovereignGitOpsCard,
    sovereignBlueprintGraphCard,
    sovereignDnsRecordsCard,
    sovereignTlsCard,
    sovereignEventsContent,
    blueprintOverviewCard,
    blueprintRelationsCard,
    blueprintSovereignsCard,
    voucherOverviewCard,
    organizationOverviewCard,
    blueprintFamilyFilter,
  ],
});
