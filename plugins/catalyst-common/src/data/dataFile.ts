import { parse as parseYaml } from 'yaml';
import { z } from 'zod/v3';

/**
 * A problem in one of the catalog data files. The message always starts with the file path and the field path,
 * so a broken data file is found from the first log line.
 */
export class CatalystDataError extends Error {
  readonly file: string;
  readonly field: string | undefined;

  constructor(file: string, field: string | undefined, problem: string) {
    super(field ? `${file}: ${field}: ${problem}` : `${file}: ${problem}`);
    this.name = 'CatalystDataError';
    this.file = file;
    this.field = field;
  }
}

/** Formats a zod issue path the way a reader would write it: `components[3].dependsOn[0]`. */
export function formatIssuePath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** Parses YAML text and validates it against a zod schema, naming the file and every failing field. */
export function parseDataFile<S extends z.ZodTypeAny>(
  file: string,
  text: string,
  schema: S,
): z.infer<S> {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new CatalystDataError(
      file,
      undefined,
      `is not valid YAML: ${(e as Error).message}`,
    );
  }
  if (raw === null || typeof raw !== 'object') {
    throw new CatalystDataError(file, undefined, 'must be a YAML mapping');
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      const field = formatIssuePath(issue.path);
      return field ? `${field}: ${issue.message}` : issue.message;
    });
    throw new CatalystDataError(file, undefined, problems.join('; '));
  }
  return result.data;
}

/** Reports the first item whose key repeats. */
export function assertUnique<T>(
  file: string,
  field: string,
  items: readonly T[],
  key: (item: T) => string,
): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const k = key(item);
    if (seen.has(k)) {
      throw new CatalystDataError(
        file,
        `${field}[${index}]`,
        `duplicate id "${k}"`,
      );
    }
    seen.add(k);
  });
}

export const semverPattern =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
