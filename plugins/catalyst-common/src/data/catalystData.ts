import { BootstrapKit, parseBootstrapKit } from './bootstrapKit';
import {
  ComponentCatalog,
  parseBlueprintRef,
  parseComponentCatalog,
} from './componentCatalog';
import { CatalystDataError } from './dataFile';
import { NodeSizeCatalog, parseNodeSizeCatalog } from './nodeSizes';

/**
 * The data files inside this package, relative to its root. Backends read them with
 * `resolvePackagePath('@catalyst/plugin-catalyst-common', CATALYST_DATA_FILES.components)`.
 */
export const CATALYST_DATA_FILES = {
  components: 'data/components.yaml',
  nodeSizes: 'data/node-sizes.yaml',
  bootstrapKit: 'data/bootstrap-kit.yaml',
} as const;

/** The three catalogs, parsed and cross-checked. Plain JSON data, so a backend can hand it to the browser. */
export interface CatalystData {
  components: ComponentCatalog;
  nodeSizes: NodeSizeCatalog;
  bootstrapKit: BootstrapKit;
}

/** The raw YAML text of the three files. */
export interface CatalystDataTexts {
  components: string;
  nodeSizes: string;
  bootstrapKit: string;
}

/**
 * Checks that the catalogs agree with each other: every kit release names a known component with the same
 * chart, version and slot, and every component that claims a kit slot has it. A version drift between the
 * catalog and the kit is an error (the reference shipped such drift unnoticed).
 */
export function checkCatalystData(data: CatalystData): CatalystData {
  const { components, bootstrapKit } = data;
  const kitFile = CATALYST_DATA_FILES.bootstrapKit;
  const componentsFile = CATALYST_DATA_FILES.components;
  bootstrapKit.entries.forEach((entry, i) => {
    if (entry.component === null) return;
    const field = `entries[${i}].component`;
    const component = components.components.find(c => c.id === entry.component);
    if (!component) {
      throw new CatalystDataError(
        kitFile,
        field,
        `unknown component "${entry.component}" (not in ${componentsFile})`,
      );
    }
    if (!component.blueprint) {
      throw new CatalystDataError(
        kitFile,
        field,
        `component "${component.id}" has no blueprint in ${componentsFile}`,
      );
    }
    const { chart, version } = parseBlueprintRef(component.blueprint);
    if (chart !== entry.chart || version !== entry.version) {
      throw new CatalystDataError(
        kitFile,
        `entries[${i}].version`,
        `${entry.chart}@${entry.version} drifts from ${componentsFile} blueprint ${component.blueprint}`,
      );
    }
    if (component.kitSlot !== entry.slot) {
      throw new CatalystDataError(
        componentsFile,
        `components[${components.components.indexOf(component)}].kitSlot`,
        `is ${component.kitSlot} for "${component.id}" but ${kitFile} installs it in slot ${entry.slot}`,
      );
    }
  });
  components.components.forEach((component, i) => {
    if (component.kitSlot === null) return;
    const entry = bootstrapKit.entries.find(e => e.slot === component.kitSlot);
    if (!entry || entry.component !== component.id) {
      throw new CatalystDataError(
        componentsFile,
        `components[${i}].kitSlot`,
        `slot ${component.kitSlot} of ${kitFile} is not a release of "${component.id}"`,
      );
    }
  });
  return data;
}

/** Parses, validates and cross-checks the three data files. */
export function parseCatalystData(texts: CatalystDataTexts): CatalystData {
  return checkCatalystData({
    components: parseComponentCatalog(texts.components),
    nodeSizes: parseNodeSizeCatalog(texts.nodeSizes),
    bootstrapKit: parseBootstrapKit(texts.bootstrapKit),
  });
}
