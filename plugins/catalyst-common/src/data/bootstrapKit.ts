import { z } from 'zod/v3';
import {
  assertUnique,
  CatalystDataError,
  parseDataFile,
  semverPattern,
} from './dataFile';

const BOOTSTRAP_KIT_FILE = 'data/bootstrap-kit.yaml';

/** The only variable the overlay substitutes (docs/provisioning.md §4). */
export const SOVEREIGN_FQDN_VARIABLE = '${SOVEREIGN_FQDN}';
/** A label value the reference never substituted (a known defect the overlay renderer must replace). */
export const SOVEREIGN_FQDN_PLACEHOLDER = 'SOVEREIGN_FQDN_PLACEHOLDER';

const bpName = z
  .string()
  .regex(/^bp-[a-z][a-z0-9-]*$/, 'must be a bp-<name> release name');

export const kitEntrySchema = z
  .object({
    slot: z.number().int().positive(),
    name: z.string().regex(/^[a-z][a-z0-9-]*$/),
    chart: bpName,
    version: z.string().regex(semverPattern, 'must be semver (x.y.z)'),
    releaseName: z.string().min(1),
    targetNamespace: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/),
    dependsOn: z.array(bpName),
    oci: z.string().startsWith('oci://'),
    timeout: z
      .string()
      .regex(/^\d+(ms|s|m|h)$/, 'must be a Go duration such as 15m')
      .optional(),
    wait: z.boolean().optional(),
    upgradePreserveValues: z.boolean().optional(),
    namespace: z
      .object({
        name: z.string().min(1),
        label: z.enum([SOVEREIGN_FQDN_VARIABLE, SOVEREIGN_FQDN_PLACEHOLDER]),
      })
      .strict()
      .nullable(),
    upstream: z.string().min(1).nullable(),
    component: z.string().min(1).nullable(),
    fqdnValues: z.record(z.string().min(1), z.string().min(1)).nullable(),
  })
  .strict();

export const bootstrapKitSchema = z
  .object({
    schemaVersion: z.literal(1),
    repository: z.string().startsWith('oci://'),
    pullSecret: z.string().min(1),
    entries: z.array(kitEntrySchema).min(1),
  })
  .strict();

export type KitEntry = z.infer<typeof kitEntrySchema>;
export type BootstrapKit = z.infer<typeof bootstrapKitSchema>;

/**
 * Checks what the shape cannot: slots are 1..n in order, names and charts agree (`bp-<name>`), the OCI
 * reference is repository + chart, every dependsOn target is in the kit, the graph is acyclic, the declared
 * Namespace is the target namespace, and every FQDN value uses the substituted variable.
 */
export function checkBootstrapKit(
  kit: BootstrapKit,
  file: string = BOOTSTRAP_KIT_FILE,
): BootstrapKit {
  assertUnique(file, 'entries', kit.entries, e => e.name);
  const charts = new Set(kit.entries.map(e => e.chart));
  kit.entries.forEach((entry, i) => {
    const field = `entries[${i}]`;
    if (entry.slot !== i + 1) {
      throw new CatalystDataError(
        file,
        `${field}.slot`,
        `is ${entry.slot}; slots must run 1..n in list order (expected ${
          i + 1
        })`,
      );
    }
    if (entry.chart !== `bp-${entry.name}`) {
      throw new CatalystDataError(
        file,
        `${field}.chart`,
        `"${entry.chart}" must be bp-${entry.name}`,
      );
    }
    if (entry.oci !== `${kit.repository}/${entry.chart}`) {
      throw new CatalystDataError(
        file,
        `${field}.oci`,
        `"${entry.oci}" must be ${kit.repository}/${entry.chart}`,
      );
    }
    entry.dependsOn.forEach((dep, j) => {
      if (!charts.has(dep)) {
        throw new CatalystDataError(
          file,
          `${field}.dependsOn[${j}]`,
          `"${dep}" is not a release of the kit`,
        );
      }
      if (dep === entry.chart) {
        throw new CatalystDataError(
          file,
          `${field}.dependsOn[${j}]`,
          `"${dep}" depends on itself`,
        );
      }
    });
    if (entry.namespace && entry.namespace.name !== entry.targetNamespace) {
      throw new CatalystDataError(
        file,
        `${field}.namespace.name`,
        `"${entry.namespace.name}" differs from targetNamespace "${entry.targetNamespace}"`,
      );
    }
    if (entry.namespace?.name === 'kube-system') {
      throw new CatalystDataError(
        file,
        `${field}.namespace`,
        'must not re-declare kube-system (two files doing so collide in kustomize)',
      );
    }
    for (const [path, value] of Object.entries(entry.fqdnValues ?? {})) {
      if (!value.includes(SOVEREIGN_FQDN_VARIABLE)) {
        throw new CatalystDataError(
          file,
          `${field}.fqdnValues.${path}`,
          `"${value}" does not contain ${SOVEREIGN_FQDN_VARIABLE}`,
        );
      }
    }
  });

  const byChart = new Map(kit.entries.map(e => [e.chart, e]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (chart: string) => {
    if (state.get(chart) === 'done') return;
    if (state.get(chart) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(chart)), chart];
      throw new CatalystDataError(
        file,
        'entries',
        `dependsOn has a cycle: ${cycle.join(' -> ')}`,
      );
    }
    state.set(chart, 'visiting');
    stack.push(chart);
    for (const dep of byChart.get(chart)?.dependsOn ?? []) visit(dep);
    stack.pop();
    state.set(chart, 'done');
  };
  kit.entries.forEach(e => visit(e.chart));
  return kit;
}

/** Parses and checks data/bootstrap-kit.yaml. Throws a {@link CatalystDataError} naming the field on any problem. */
export function parseBootstrapKit(
  text: string,
  file: string = BOOTSTRAP_KIT_FILE,
): BootstrapKit {
  return checkBootstrapKit(parseDataFile(file, text, bootstrapKitSchema), file);
}
