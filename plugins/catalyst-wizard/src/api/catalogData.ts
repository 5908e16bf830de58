import type { CatalystData } from '@catalyst/plugin-catalyst-common';

/**
 * What `GET /api/catalyst/v1/catalog-data` answers: the parsed component, node-size and bootstrap-kit catalogs,
 * read from the same YAML files as the Blueprint entities, so the wizard never carries its own copy of them.
 */
export type CatalystCatalogData = CatalystData;
