import fs from 'node:fs';
import path from 'node:path';
import {
  CATALYST_DATA_FILES,
  parseCatalystData,
} from '@catalyst/plugin-catalyst-common';
import type { CatalystCatalogData } from '../../api';

/** The real catalogs, parsed from the common package's YAML exactly as the backend serves them. */
export function loadCatalogData(): CatalystCatalogData {
  const root = path.resolve(
    path.dirname(require.resolve('@catalyst/plugin-catalyst-common')),
    '..',
  );
  const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
  return parseCatalystData({
    components: read(CATALYST_DATA_FILES.components),
    nodeSizes: read(CATALYST_DATA_FILES.nodeSizes),
    bootstrapKit: read(CATALYST_DATA_FILES.bootstrapKit),
  });
}
