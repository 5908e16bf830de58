import {
  dns01SetupSchema,
  sovereignTlsSetupSchema,
} from '@catalyst/plugin-catalyst-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { TlsSettings } from '../actionsConfig';
import { ClusterOverlay, OverlayRelease } from '../overlay/ClusterOverlay';
import type { ReleaseValuesData } from '../overlay/releaseValues';
import { Dns01Setup, overlayTlsFor, wildcardSecretName } from '../overlay/tls';
import { examples } from './overlayRender.examples';

/**
 * catalyst:overlay:render — writes the Sovereign's Flux overlay `clusters/<fqdn>/` into the task workspace
 * (docs/provisioning.md §4). Refuses to write anything when a `${…}` or SOVEREIGN_FQDN_PLACEHOLDER would survive,
 * when a Flux object fails its CRD schema, or when the dependsOn graph is broken.
 */
export function createOverlayRenderAction(options: {
  releaseValues: () => ReleaseValuesData;
  /** ACME servers and the issuer; with `dns01` and `email` the overlay gets its cert-manager objects. */
  tls?: TlsSettings;
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
        dns01: () =>
          dns01SetupSchema
            .optional()
            .describe(
              "steps.reserve.output.dns01: the zone's DNS-01 update key (public facts, no secret); with email, the overlay gets the ClusterIssuers and the wildcard certificate",
            ),
        email: z =>
          z
            .string()
            .optional()
            .describe('ACME account e-mail (the admin e-mail of the request)'),
      },
      output: {
        path: z =>
          z
            .string()
            .describe('Overlay folder inside the workspace: clusters/<fqdn>'),
        files: z => z.array(z.string()).describe('Written files'),
        tls: () =>
          sovereignTlsSetupSchema
            .optional()
            .describe(
              'The certificate issuer and DNS-01 setup the overlay renders, for the Sovereign record (no secret)',
            ),
      },
    },
    async handler(ctx) {
      const tls = overlayTlsFor(
        options.tls,
        ctx.input.dns01 as Dns01Setup | undefined,
        ctx.input.email,
      );
      const overlay = new ClusterOverlay({
        fqdn: ctx.input.fqdn,
        releases: ctx.input.releases as unknown as OverlayRelease[],
        releaseValues: options.releaseValues(),
        tls,
      });
      const files = await overlay.write(ctx.workspacePath);
      ctx.logger.info(
        `Rendered ${files.length} files into ${overlay.relativeRoot}${
          tls
            ? `; certificates from ${tls.issuer} by DNS-01 on ${tls.dns01.nameserver} with key ${tls.dns01.keyName}`
            : ''
        }`,
      );
      ctx.output('path', overlay.relativeRoot);
      ctx.output('files', files);
      if (tls) {
        ctx.output('tls', {
          issuer: tls.issuer,
          acmeServer: tls.servers[tls.issuer],
          dnsNames: [`*.${overlay.fqdn}`, overlay.fqdn],
          certificateSecret: wildcardSecretName(overlay.fqdn),
          dns01: { ...tls.dns01 },
        });
      }
    },
  });
}
