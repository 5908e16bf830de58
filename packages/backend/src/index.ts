/*
 * The Catalyst backend: Backstage's core plugins plus the Catalyst plugin set.
 */

import { createBackend } from '@backstage/backend-defaults';
import { authModuleLocalProvider } from './modules/authModuleLocalProvider';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// catalyst:* actions: validate, PDM, Blueprints, Flux overlay, GitOps commit, OpenTofu
backend.add(import('@catalyst/plugin-scaffolder-backend-module-catalyst'));

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider
// Local sign-in as a seeded user (guest, alice, bob) for the embedded default only: mounted when
// auth.providers.local is configured, refused when NODE_ENV=production.
backend.add(authModuleLocalProvider);

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Sovereign, Blueprint and Voucher kinds and their entity providers
backend.add(import('@catalyst/plugin-catalog-backend-module-catalyst'));

// Catalyst: Sovereign registry, vouchers, credential checks (/api/catalyst)
backend.add(import('@catalyst/plugin-catalyst-backend'));
// Pool-domain-manager: Sovereign domains, PowerDNS, registrar adapters (/api/pdm)
backend.add(import('@catalyst/plugin-pdm-backend'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// Catalyst's policy: voucher administration is scoped to each Sovereign's owning group
backend.add(import('@catalyst/plugin-permission-backend-module-catalyst'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
