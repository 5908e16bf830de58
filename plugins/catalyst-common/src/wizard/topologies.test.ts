import { readFileSync } from 'fs';
import { resolve } from 'path';
import { CATALYST_DATA_FILES, parseCatalystData } from '../data/catalystData';
import {
  clampWorkerCount,
  defaultRegion,
  estimateCost,
  hqHint,
  normalizeTopologyTemplate,
  regionCountFor,
  topologyFacts,
  countOf,
  regionForProvider,
  regionLabelsFor,
  TOPOLOGIES,
} from './topologies';

const root = resolve(__dirname, '../..');
const read = (f: string) => readFileSync(resolve(root, f), 'utf8');
const data = parseCatalystData({
  components: read(CATALYST_DATA_FILES.components),
  nodeSizes: read(CATALYST_DATA_FILES.nodeSizes),
  bootstrapKit: read(CATALYST_DATA_FILES.bootstrapKit),
});

describe('TOPOLOGIES', () => {
  it('has the six templates of docs/wizard.md §2, triangle included', () => {
    expect(
      TOPOLOGIES.map(t => [
        t.id,
        t.name,
        t.tag,
        t.regionCount,
        t.clustersPerRegion,
      ]),
    ).toEqual([
      ['citadel', 'CITADEL', 'Tier-1 Bank', 4, 1],
      ['triangle', 'TRIANGLE', null, 3, 1],
      ['dual', 'DUAL', 'Enterprise', 2, 1],
      ['zoned', 'ZONED', 'Mid-market', 2, 1],
      ['compact', 'COMPACT', 'Starter', 2, 1],
      ['solo', 'SOLO', 'Dev / POC', 1, 1],
    ]);
    for (const t of TOPOLOGIES) {
      expect(t.regionLabels).toHaveLength(t.regionCount);
    }
    expect(TOPOLOGIES.filter(t => t.recommended).map(t => t.id)).toEqual([
      'dual',
    ]);
  });

  it('derives every cluster count from the regions it provisions, one k3s cluster per region', () => {
    expect(topologyFacts('dual').summary).toBe(
      '2 regions · 2 clusters (one per region)',
    );
    expect(topologyFacts('triangle')).toEqual({
      regions: 3,
      clusters: 3,
      summary: '3 regions · 3 clusters (one per region)',
    });
    expect(topologyFacts('solo').summary).toBe('1 region · 1 cluster');
    expect(topologyFacts('solo', true).summary).toBe(
      '2 regions · 2 clusters (one per region)',
    );
    expect(topologyFacts('citadel', true).clusters).toBe(5);
    for (const t of TOPOLOGIES) {
      const facts = topologyFacts(t.id);
      expect(facts.regions).toBe(regionLabelsFor(t.id, false).length);
      expect(facts.summary).not.toMatch(/\b1 (regions|clusters)\b/);
    }
    expect(countOf(1, 'cluster')).toBe('1 cluster');
    expect(countOf(0, 'cluster')).toBe('0 clusters');
  });

  it('adds one region for AIR-GAP, labelled last', () => {
    expect(regionCountFor('citadel', false)).toBe(4);
    expect(regionCountFor('citadel', true)).toBe(5);
    expect(regionCountFor('solo', true)).toBe(2);
    expect(regionLabelsFor('solo', true)).toEqual([
      'Region 1 — All Components',
      'AIR-GAP — Ransomware Recovery',
    ]);
  });

  it('turns an unknown topology from an old draft into none', () => {
    expect(normalizeTopologyTemplate('zoned')).toBe('zoned');
    expect(normalizeTopologyTemplate('hexagon')).toBeUndefined();
  });
});

describe('hqHint', () => {
  it.each([
    ['Frankfurt, Germany', 'hetzner', 'fsn1'],
    ['Helsinki', 'hetzner', 'hel1'],
    ['Amsterdam', 'oci', 'eu-amsterdam-1'],
    ['Paris, France', 'huawei', 'eu-west-204'],
    ['London, UK', 'aws', 'eu-west-1'],
    ['Ashburn, Virginia', 'aws', 'us-east-1'],
    ['East Coast, US', 'aws', 'us-east-1'],
    ['Seattle', 'aws', 'us-west-2'],
    ['Singapore', 'aws', 'ap-southeast-1'],
    ['Hong Kong', 'huawei', 'ap-southeast-1'],
    ['Muscat (Middle East)', 'huawei', 'me-east-1'],
    ['Seoul, Korea', 'aws', 'ap-southeast-1'],
    ['Sydney', 'oci', 'ap-singapore-1'],
  ])('%s → %s %s', (hq, provider, first) => {
    const hint = hqHint(hq);
    expect(hint?.provider).toBe(provider);
    expect(hint?.regions[0]).toBe(first);
  });

  it('matches whole words only (uk is not inside Milwaukee or Ukraine)', () => {
    expect(hqHint('Milwaukee, Wisconsin')).toBeUndefined();
    expect(hqHint('Kyiv, Ukraine')).toBeUndefined();
    expect(hqHint('Parisville')).toBeUndefined();
    expect(hqHint('Muscat, Oman')).toBeUndefined();
    expect(hqHint('')).toBeUndefined();
    expect(hqHint(undefined)).toBeUndefined();
  });

  it('takes the first match', () => {
    expect(hqHint('Berlin and London')?.provider).toBe('hetzner');
  });
});

describe('defaultRegion and regionForProvider', () => {
  it('uses the hint regions modulo 3', () => {
    expect(defaultRegion(data, 0, 'Dubai')).toEqual({
      provider: 'huawei',
      cloudRegion: 'me-east-1',
      controlPlaneSize: 'c7n.xlarge.2',
      workerSize: 'c7n.xlarge.2',
      workerCount: 0,
      airgap: false,
    });
    expect(defaultRegion(data, 3, 'Dubai').cloudRegion).toBe('me-east-1');
  });

  it('falls back to hetzner and its region at the index', () => {
    expect(defaultRegion(data, 0, 'Muscat').provider).toBe('hetzner');
    expect(
      [0, 1, 2, 3, 4].map(i => defaultRegion(data, i).cloudRegion),
    ).toEqual(['fsn1', 'nbg1', 'hel1', 'ash', 'hil']);
    expect(defaultRegion(data, 1, undefined, { airgap: true })).toMatchObject({
      controlPlaneSize: 'cpx32',
      workerSize: 'cpx32',
      airgap: true,
    });
  });

  it('re-seeds a card when its provider changes', () => {
    expect(regionForProvider(data, 'aws', 1, 'London')).toMatchObject({
      provider: 'aws',
      cloudRegion: 'eu-central-1',
      controlPlaneSize: 'm6i.xlarge',
      workerCount: 0,
    });
    expect(regionForProvider(data, 'azure', 1, 'London')).toMatchObject({
      cloudRegion: 'westeurope',
      controlPlaneSize: 'Standard_D4s_v5',
    });
  });

  it('clamps worker counts to 0–50 with floor', () => {
    expect(clampWorkerCount(data.nodeSizes, 3.9)).toBe(3);
    expect(clampWorkerCount(data.nodeSizes, -2)).toBe(0);
    expect(clampWorkerCount(data.nodeSizes, 99)).toBe(50);
    expect(clampWorkerCount(data.nodeSizes, Number.NaN)).toBe(0);
  });
});

describe('estimateCost', () => {
  it('adds control plane and workers per region; monthly is hourly × 730', () => {
    const estimate = estimateCost(data.nodeSizes, [
      {
        provider: 'hetzner',
        cloudRegion: 'fsn1',
        controlPlaneSize: 'cpx32',
        workerSize: 'cx43',
        workerCount: 3,
      },
      {
        provider: 'aws',
        cloudRegion: 'eu-west-1',
        controlPlaneSize: 'm6i.xlarge',
        workerSize: 'm6i.xlarge',
        workerCount: 0,
      },
    ]);
    // 0.0232 + 3 × 0.0192 = 0.0808; + 0.1766 = 0.2574
    expect(estimate.lines.map(l => l.perHour)).toEqual([0.0808, 0.1766]);
    expect(estimate.perHour).toBe(0.2574);
    expect(estimate.perMonth).toBe(187.9);
    expect(estimate.currency).toBe('EUR');
    expect(estimate.lines[1]).toMatchObject({ workerHour: 0, complete: true });
  });

  it('counts three control-plane nodes with HA', () => {
    const estimate = estimateCost(
      data.nodeSizes,
      [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx32',
          workerSize: '',
          workerCount: 0,
        },
      ],
      { haEnabled: true },
    );
    expect(estimate.lines[0]).toMatchObject({
      controlPlaneCount: 3,
      controlPlaneHour: 0.0696,
    });
    expect(estimate.perMonth).toBe(50.81);
  });

  it('flags a line with an unknown SKU as incomplete', () => {
    const estimate = estimateCost(data.nodeSizes, [
      {
        provider: 'hetzner',
        cloudRegion: 'fsn1',
        controlPlaneSize: 'cpx32',
        workerSize: 'm6i.large',
        workerCount: 2,
      },
    ]);
    expect(estimate.lines[0]).toMatchObject({
      complete: false,
      perHour: 0.0232,
    });
  });
});
