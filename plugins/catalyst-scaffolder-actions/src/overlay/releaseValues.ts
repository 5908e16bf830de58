import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod/v3';

const RELEASE_VALUES_FILE = 'data/release-values.yaml';

export const releaseValuesFileSchema = z
  .object({
    schemaVersion: z.literal(1),
    releases: z.record(
      z.string().regex(/^[a-z][a-z0-9-]*$/),
      z.record(z.string(), z.unknown()),
    ),
  })
  .strict();

/** Values every Sovereign shares, per release name. */
export type ReleaseValuesData = z.infer<typeof releaseValuesFileSchema>;

/** Parses the release-values data file, naming the file and each failing field. */
export function parseReleaseValues(text: string): ReleaseValuesData {
  const result = releaseValuesFileSchema.safeParse(parseYaml(text));
  if (!result.success) {
    const problems = result.error.issues
      .map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`${RELEASE_VALUES_FILE}: ${problems}`);
  }
  return result.data;
}

/** Reads the release-values data file shipped with this package. */
export function loadReleaseValues(): ReleaseValuesData {
  const file = resolvePackagePath(
    '@catalyst/plugin-scaffolder-backend-module-catalyst',
    RELEASE_VALUES_FILE,
  );
  return parseReleaseValues(fs.readFileSync(file, 'utf8'));
}
