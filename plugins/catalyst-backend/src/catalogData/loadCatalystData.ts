import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  CATALYST_DATA_FILES,
  CatalystData,
  parseCatalystData,
} from '@catalyst/plugin-catalyst-common';
import { readFileSync } from 'node:fs';

/**
 * Reads and validates the common package's data files. Called once at startup: a broken file stops the plugin
 * with the data error (file and field) instead of serving a half-valid catalog.
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
