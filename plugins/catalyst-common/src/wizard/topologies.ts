import { CatalystData } from '../data/catalystData';
import {
  CloudProvider,
  CLOUD_PROVIDERS,
  NodeSizeCatalog,
} from '../data/nodeSizes';

/** Topology templates (docs/wizard.md §2), in card order. */
export const TOPOLOGY_TEMPLATES = [
  'citadel',
  'triangle',
  'dual',
  'zoned',
  'compact',
  'solo',
] as const;
export type TopologyTemplate = (typeof TOPOLOGY_TEMPLATES)[number];

export const DEFAULT_TOPOLOGY: TopologyTemplate = 'zoned';

export interface TopologyInfo {
  id: TopologyTemplate;
  /** Card name. */
  name: string;
  /** Card tag; null where the reference has none. */
  tag: string | null;
  regionCount: number;
  /**
   * k3s clusters in each region. This is what provisioning creates (infra/hetzner: one cluster per region entry),
   * and every cluster count the portal shows is derived from it (see `topologyFacts`).
   */
  clustersPerRegion: number;
  /** One label per region, in index order (the AIR-GAP region is not included). */
  regionLabels: readonly string[];
  recommended: boolean;
}

export const TOPOLOGIES: readonly TopologyInfo[] = Object.freeze([
  {
    id: 'citadel',
    name: 'CITADEL',
    tag: 'Tier-1 Bank',
    regionCount: 4,
    clustersPerRegion: 1,
    regionLabels: [
      'CP Region 1 — MGMT',
      'CP Region 2 — MGMT',
      'DP Region 1 — DMZ + RTZ',
      'DP Region 2 — DMZ + RTZ',
    ],
    recommended: false,
  },
  {
    // The reference models it but shows no card; we show one.
    id: 'triangle',
    name: 'TRIANGLE',
    tag: null,
    regionCount: 3,
    clustersPerRegion: 1,
    regionLabels: [
      'CP Region — MGMT',
      'DP Region 1 — DMZ + RTZ',
      'DP Region 2 — DMZ + RTZ',
    ],
    recommended: false,
  },
  {
    id: 'dual',
    name: 'DUAL',
    tag: 'Enterprise',
    regionCount: 2,
    clustersPerRegion: 1,
    regionLabels: [
      'Region 1 — MGMT + DMZ + RTZ',
      'Region 2 — MGMT + DMZ + RTZ',
    ],
    recommended: true,
  },
  {
    id: 'zoned',
    name: 'ZONED',
    tag: 'Mid-market',
    regionCount: 2,
    clustersPerRegion: 1,
    regionLabels: [
      'Region 1 — DMZ / RTZ / MGMT',
      'Region 2 — DMZ / RTZ / MGMT',
    ],
    recommended: false,
  },
  {
    id: 'compact',
    name: 'COMPACT',
    tag: 'Starter',
    regionCount: 2,
    clustersPerRegion: 1,
    regionLabels: ['Region 1 — Primary', 'Region 2 — Secondary'],
    recommended: false,
  },
  {
    id: 'solo',
    name: 'SOLO',
    tag: 'Dev / POC',
    regionCount: 1,
    clustersPerRegion: 1,
    regionLabels: ['Region 1 — All Components'],
    recommended: false,
  },
] satisfies TopologyInfo[]);

/** `1 region`, `2 clusters`: a count with its noun, singular for one. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** What a topology provisions, derived from its regions and clusters per region (AIR-GAP adds one region). */
export interface TopologyFacts {
  regions: number;
  clusters: number;
  /** e.g. `2 regions · 2 clusters (one per region)`. */
  summary: string;
}

export function topologyFacts(
  template: TopologyTemplate,
  airgap = false,
): TopologyFacts {
  const info = topologyInfo(template);
  const regions = regionCountFor(template, airgap);
  const clusters = regions * info.clustersPerRegion;
  const perRegion =
    info.clustersPerRegion === 1
      ? 'one per region'
      : `${info.clustersPerRegion} per region`;
  return {
    regions,
    clusters,
    summary: `${countOf(regions, 'region')} · ${countOf(clusters, 'cluster')}${
      regions > 1 ? ` (${perRegion})` : ''
    }`,
  };
}

/** Label of the extra isolated region the AIR-GAP add-on appends. */
export const AIRGAP_REGION_LABEL = 'AIR-GAP — Ransomware Recovery';

export function isTopologyTemplate(value: unknown): value is TopologyTemplate {
  return (
    typeof value === 'string' &&
    (TOPOLOGY_TEMPLATES as readonly string[]).includes(value)
  );
}

export function topologyInfo(template: TopologyTemplate): TopologyInfo {
  const info = TOPOLOGIES.find(t => t.id === template);
  if (!info) throw new Error(`Unknown topology "${template}"`);
  return info;
}

/** Total regions: the template's count plus one isolated region with AIR-GAP. */
export function regionCountFor(
  template: TopologyTemplate,
  airgap: boolean,
): number {
  return topologyInfo(template).regionCount + (airgap ? 1 : 0);
}

/** Region labels in index order, the AIR-GAP region last. */
export function regionLabelsFor(
  template: TopologyTemplate,
  airgap: boolean,
): string[] {
  const labels = [...topologyInfo(template).regionLabels];
  return airgap ? [...labels, AIRGAP_REGION_LABEL] : labels;
}

/** Legacy drafts: an unknown topology becomes none (docs/wizard.md). */
export function normalizeTopologyTemplate(
  value: unknown,
): TopologyTemplate | undefined {
  return isTopologyTemplate(value) ? value : undefined;
}

export interface HqHint {
  provider: CloudProvider;
  /** Three cloud regions of `provider`, used as `regions[i % 3]`. */
  regions: readonly [string, string, string];
}

/**
 * Headquarters hints (docs/wizard.md §3), first match wins. Every word is matched whole, so `uk` does not match
 * inside "Milwaukee" or "Ukraine", and `east … us` needs both words.
 */
const HQ_HINTS: ReadonlyArray<{ pattern: RegExp; hint: HqHint }> = [
  {
    pattern: /\b(?:germany|frankfurt|berlin|munich|hamburg|cologne)\b/i,
    hint: { provider: 'hetzner', regions: ['fsn1', 'nbg1', 'hel1'] },
  },
  {
    pattern: /\b(?:finland|helsinki|sweden|norway|denmark|nordic)\b/i,
    hint: { provider: 'hetzner', regions: ['hel1', 'fsn1', 'nbg1'] },
  },
  {
    pattern: /\b(?:netherlands|amsterdam|belgium)\b/i,
    hint: {
      provider: 'oci',
      regions: ['eu-amsterdam-1', 'eu-frankfurt-1', 'ap-singapore-1'],
    },
  },
  {
    pattern: /\b(?:france|paris)\b/i,
    hint: {
      provider: 'huawei',
      regions: ['eu-west-204', 'eu-west-101', 'ap-southeast-1'],
    },
  },
  {
    pattern: /\b(?:ireland|dublin|uk|london|britain)\b/i,
    hint: {
      provider: 'aws',
      regions: ['eu-west-1', 'eu-central-1', 'us-east-1'],
    },
  },
  {
    pattern: /\b(?:virginia|ashburn|washington|new york)\b|\beast\b.*\bus\b/i,
    hint: { provider: 'aws', regions: ['us-east-1', 'us-west-2', 'eu-west-1'] },
  },
  {
    pattern: /\b(?:california|oregon|seattle|phoenix)\b|\bwest\b.*\bus\b/i,
    hint: {
      provider: 'aws',
      regions: ['us-west-2', 'us-east-1', 'ap-southeast-1'],
    },
  },
  {
    pattern: /\b(?:singapore|malaysia|indonesia)\b/i,
    hint: {
      provider: 'aws',
      regions: ['ap-southeast-1', 'us-east-1', 'eu-central-1'],
    },
  },
  {
    pattern: /\b(?:hong kong|china|beijing)\b/i,
    hint: {
      provider: 'huawei',
      regions: ['ap-southeast-1', 'cn-north-4', 'eu-west-101'],
    },
  },
  {
    pattern: /\b(?:saudi|riyadh|dubai|uae|middle east)\b/i,
    hint: {
      provider: 'huawei',
      regions: ['me-east-1', 'ap-southeast-1', 'eu-west-101'],
    },
  },
  {
    pattern: /\b(?:japan|tokyo|korea|seoul)\b/i,
    hint: {
      provider: 'aws',
      regions: ['ap-southeast-1', 'us-west-2', 'eu-central-1'],
    },
  },
  {
    pattern: /\b(?:australia|sydney|melbourne)\b/i,
    hint: {
      provider: 'oci',
      regions: ['ap-singapore-1', 'us-ashburn-1', 'eu-frankfurt-1'],
    },
  },
];

/** The provider/region hint for a headquarters text, or undefined when nothing matches. */
export function hqHint(headquarters: string | undefined): HqHint | undefined {
  if (!headquarters) return undefined;
  return HQ_HINTS.find(h => h.pattern.test(headquarters))?.hint;
}

/** One region card of page 3 (parameter contract). */
export interface RegionParameters {
  provider: CloudProvider;
  cloudRegion: string;
  controlPlaneSize: string;
  /** '' when workerCount is 0 and no size was chosen. */
  workerSize: string;
  workerCount: number;
  airgap: boolean;
}

/**
 * First-visit defaults for region card `index` (docs/wizard.md §3): the HQ hint's provider and
 * `hint.regions[index % 3]`, otherwise hetzner and its region at `index`; both sizes at the provider's
 * default SKU; the worker count at the catalog default.
 */
export function defaultRegion(
  data: CatalystData,
  index: number,
  headquarters?: string,
  options: { airgap?: boolean } = {},
): RegionParameters {
  const hint = hqHint(headquarters);
  if (hint) {
    return seedRegion(
      data.nodeSizes,
      hint.provider,
      hint.regions[index % hint.regions.length],
      options.airgap ?? false,
    );
  }
  const regions = data.nodeSizes.providers.hetzner.regions;
  return seedRegion(
    data.nodeSizes,
    'hetzner',
    regions[index % regions.length].id,
    options.airgap ?? false,
  );
}

/**
 * Re-seeds a card whose provider changed (docs/wizard.md §3): the hinted region when the hint's provider matches,
 * otherwise the provider's first region; the default SKU; the default worker count.
 */
export function regionForProvider(
  data: CatalystData,
  provider: CloudProvider,
  index: number,
  headquarters?: string,
  options: { airgap?: boolean } = {},
): RegionParameters {
  const hint = hqHint(headquarters);
  const cloudRegion =
    hint && hint.provider === provider
      ? hint.regions[index % hint.regions.length]
      : data.nodeSizes.providers[provider].regions[0].id;
  return seedRegion(
    data.nodeSizes,
    provider,
    cloudRegion,
    options.airgap ?? false,
  );
}

function seedRegion(
  nodeSizes: NodeSizeCatalog,
  provider: CloudProvider,
  cloudRegion: string,
  airgap: boolean,
): RegionParameters {
  const p = nodeSizes.providers[provider];
  return {
    provider,
    cloudRegion,
    controlPlaneSize: p.defaults.controlPlane,
    workerSize: p.defaults.worker,
    workerCount: nodeSizes.workers.countDefault,
    airgap,
  };
}

/** Clamps a typed worker count the way the UI does: floor, then 0–50 (from the catalog). */
export function clampWorkerCount(
  nodeSizes: NodeSizeCatalog,
  value: number,
): number {
  if (!Number.isFinite(value)) return nodeSizes.workers.countDefault;
  return Math.min(
    nodeSizes.workers.countMax,
    Math.max(nodeSizes.workers.countMin, Math.floor(value)),
  );
}

export interface CostLine {
  index: number;
  provider: CloudProvider;
  cloudRegion: string;
  controlPlaneSize: string;
  controlPlaneCount: number;
  controlPlaneHour: number;
  workerSize: string;
  workerCount: number;
  workerHour: number;
  perHour: number;
  /** False when a SKU is missing or unknown: the line then counts only what is known. */
  complete: boolean;
}

export interface CostEstimate {
  perHour: number;
  perMonth: number;
  currency: string;
  lines: CostLine[];
}

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * The wizard's cost rollup: per region the control plane (×3 with HA) plus workers × count, hourly; monthly is
 * hourly × hoursPerMonth (730). Nodes only: load balancers and volumes are not included.
 */
export function estimateCost(
  nodeSizes: NodeSizeCatalog,
  regions: ReadonlyArray<
    Pick<
      RegionParameters,
      | 'provider'
      | 'cloudRegion'
      | 'controlPlaneSize'
      | 'workerSize'
      | 'workerCount'
    >
  >,
  options: { haEnabled?: boolean } = {},
): CostEstimate {
  const controlPlaneCount = options.haEnabled ? 3 : 1;
  const lines = regions.map((region, index): CostLine => {
    const provider = CLOUD_PROVIDERS.includes(region.provider)
      ? nodeSizes.providers[region.provider]
      : undefined;
    const cp = provider?.skus.find(s => s.id === region.controlPlaneSize);
    const workerCount = region.workerCount > 0 ? region.workerCount : 0;
    const worker =
      workerCount > 0
        ? provider?.skus.find(s => s.id === region.workerSize)
        : undefined;
    const controlPlaneHour = cp ? cp.priceHour * controlPlaneCount : 0;
    const workerHour = worker ? worker.priceHour * workerCount : 0;
    return {
      index,
      provider: region.provider,
      cloudRegion: region.cloudRegion,
      controlPlaneSize: region.controlPlaneSize,
      controlPlaneCount,
      controlPlaneHour: round(controlPlaneHour, 4),
      workerSize: region.workerSize,
      workerCount,
      workerHour: round(workerHour, 4),
      perHour: round(controlPlaneHour + workerHour, 4),
      complete: Boolean(cp) && (workerCount === 0 || Boolean(worker)),
    };
  });
  const perHour = lines.reduce((sum, line) => sum + line.perHour, 0);
  return {
    perHour: round(perHour, 4),
    perMonth: round(perHour * nodeSizes.hoursPerMonth, 2),
    currency: nodeSizes.currencyConversion.to,
    lines,
  };
}
