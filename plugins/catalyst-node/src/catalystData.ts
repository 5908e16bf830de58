import {
  createServiceFactory,
  createServiceRef,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  CATALYST_DATA_FILES,
  CatalystData,
  parseCatalystData,
} from '@catalyst/plugin-catalyst-common';
import { readFileSync } from 'node:fs';

/**
 * Reads and validates the data files shipped in the common package: the same files, and the same schemas, the
 * wizard uses, so a backend re-checks a request against exactly what the form offered. A broken file throws
 * the data error (file and field), so a plugin stops at startup instead of serving a half-valid catalog.
 */
export function loadCatalystData(): CatalystData {
  const read = (file: string) =>
    readFileSync(
      resolvePackagePath('@catalyst/plugin-catalyst-common', file),
      'utf8',
    );
  return parseCatalystData({
    components: read(CATALYST_DATA_FILES.components),
    nodeSizes: read(CATALYST_DATA_FILES.nodeSizes),
    bootstrapKit: read(CATALYST_DATA_FILES.bootstrapKit),
  });
}

/** The catalog data as a root service: read and validated once per backend, shared by every plugin. */
export interface CatalystDataService {
  get(): CatalystData;
}

export const catalystDataServiceRef = createServiceRef<CatalystDataService>({
  id: 'catalyst.data',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      async factory() {
        const data = loadCatalystData();
        return { get: () => data };
      },
    }),
});
