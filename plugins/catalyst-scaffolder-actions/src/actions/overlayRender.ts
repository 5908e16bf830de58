import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ClusterOverlay, OverlayRelease } from '../overlay/ClusterOverlay';
import type { ReleaseValuesData } from '../overlay/releaseValues';
import { examples } from './overlayRender.examples';

/**
 * catalyst:overlay:render — writes the Sovereign's Flux overlay `clusters/<fqdn>/` into the task workspace
 * (provisioning.md §4). Refuses to write anything when a `${…}` or SOVEREIGN_FQDN_PLACEHOLDER would survive,
 * when a Flux object fails its CRD schema, or when the dependsOn graph is broken.
 */
export function createOverlayRenderAction(options: {
  releaseValues: () => ReleaseValuesData;
}) {
  return createTemplateAction({
    id: 'catalyst:overlay:render',
    description:
      "Renders the Sovereign's Flux cluster overlay (clusters/<fqdn>/) into the workspace",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        fqdn: z => z.string().describe('The Sovereign FQDN'),
        releases: z =>
          z
            .array(z.record(z.unknown()))
            .min(1)
            .describe('steps.blueprints.output.releases'),
      },
      output: {
        path: z =>
          z
            .string()
            .describe('Overlay folder inside the workspace: clusters/<fqdn>'),
        files: z => z.array(z.string()).describe('Written files'),
      },
    },
    async handler(ctx) {
      const overlay = new ClusterOverlay({
        fqdn: ctx.input.fqdn,
        releases: ctx.input.releases as unknown as OverlayRelease[],
        releaseValues: options.releaseValues(),
      });
      const files = await overlay.write(ctx.workspacePath);
      ctx.logger.info(
        `Rendered ${files.length} files into ${overlay.relativeRoot}`,
      );
      ctx.output('path', overlay.relativeRoot);
      ctx.output('files', files);
    },
  });
}
