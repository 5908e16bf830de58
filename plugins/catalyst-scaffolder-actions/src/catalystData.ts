import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  CATALYST_DATA_FILES,
  CatalystData,
  parseCatalystData,
} from '@catalyst/plugin-catalyst-common';
import fs from 'node:fs';

/**
 * Reads the catalog data files shipped with the common package: the same files, and the same schemas, the
 * wizard uses, so the server re-checks a request against exactly what the form offered.
 */
export function loadCatalystData(): CatalystData {
  const read = (file: string) =>
    fs.readFileSync(
      resolvePackagePath('@catalyst/plugin-catalyst-common', file),
      'utf8',
    );
  return parseCatalystData({
    components: read(CATALYST_DATA_FILES.components),
    nodeSizes: read(CATALYST_DATA_FILES.nodeSizes),
    bootstrapKit: read(CATALYST_DATA_FILES.bootstrapKit),
  });
}
