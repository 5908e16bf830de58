import { regionCountFor, TopologyTemplate } from './topologies';
import type { IssueSink } from './requestZod';

/**
 * The cross-field rule between topology and regions, shared by the wizard's parameters and the assembled
 * request: as many regions as the topology has, and only the last region of an AIR-GAP topology isolated.
 * `airgapFlag: 'optional'` (wizard parameters) checks a region's `airgap` only when it is given;
 * `'required'` (an assembled request) treats a missing flag as false.
 */
export function checkRegionsFitTopology(
  topology: { template: TopologyTemplate; airgap: boolean },
  regions: ReadonlyArray<{ airgap?: boolean }>,
  issue: IssueSink,
  options: { airgapFlag: 'optional' | 'required' },
): void {
  const expected = regionCountFor(topology.template, topology.airgap);
  if (regions.length !== expected) {
    issue(
      ['regions'],
      `must have ${expected} region${expected > 1 ? 's' : ''} for the ${
        topology.template
      } topology${topology.airgap ? ' with AIR-GAP' : ''}, not ${
        regions.length
      }`,
    );
  }
  regions.forEach((region, index) => {
    const isAirgap = topology.airgap && index === regions.length - 1;
    const flag =
      options.airgapFlag === 'required'
        ? region.airgap ?? false
        : region.airgap;
    if (flag !== undefined && flag !== isAirgap) {
      issue(
        ['regions', index, 'airgap'],
        isAirgap
          ? 'must be true: the last region is the AIR-GAP region'
          : 'must be false: only the last region of an AIR-GAP topology is isolated',
      );
    }
  });
}
