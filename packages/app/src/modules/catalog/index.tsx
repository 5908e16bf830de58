import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';

/** Replaces the catalog's index page (`page:catalog`) with Catalyst's: Sovereigns first, per-kind columns. */
const catalystCatalogPage = PageBlueprint.make({
  params: {
    path: '/catalog',
    routeRef: catalogPlugin.routes.catalogIndex,
    title: 'Catalog',
    loader: () =>
      import('./CatalystCatalogPage').then(m => <m.CatalystCatalogPage />),
  },
});

export const catalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [catalystCatalogPage],
});
