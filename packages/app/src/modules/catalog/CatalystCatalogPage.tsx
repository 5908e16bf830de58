import {
  Content,
  ContentHeader,
  CreateButton,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { CatalogTable } from '@backstage/plugin-catalog';
import {
  CatalogFilterLayout,
  DefaultFilters,
  EntityListProvider,
} from '@backstage/plugin-catalog-react';
import { catalystColumns } from './catalogColumns';

/**
 * The catalog list opening on Sovereigns (a new portal has no Components), with per-kind columns for
 * Sovereigns, Blueprints and Vouchers.
 */
export function CatalystCatalogPage() {
  const organization =
    useApi(configApiRef).getOptionalString('organization.name') ?? 'Backstage';
  return (
    <Content>
      <ContentHeader title={`${organization} Catalog`}>
        <CreateButton title="Create" to="/create" />
      </ContentHeader>
      <EntityListProvider pagination>
        <CatalogFilterLayout>
          <CatalogFilterLayout.Filters>
            <DefaultFilters initialKind="sovereign" />
          </CatalogFilterLayout.Filters>
          <CatalogFilterLayout.Content>
            <CatalogTable
              columns={catalystColumns}
              tableOptions={{ pageSize: 20 }}
            />
          </CatalogFilterLayout.Content>
        </CatalogFilterLayout>
      </EntityListProvider>
    </Content>
  );
}
