import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  CATALYST_DATA_FILES,
  CatalystData,
  parseCatalystData,
} from '@catalyst/plugin-catalyst-common';
import { readFileSync } from 'node:fs';

/** Reads and validates the data files shipped in the common package (the same files the wizard uses). */
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
