import { dns01SetupSchema } from '@catalyst/plugin-catalyst-common';
import fs from 'node:fs/promises';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { GitOpsRepository } from '../gitops/GitOpsRepository';
import { ClusterOverlay, OverlayRelease } from '../overlay/ClusterOverlay';
import type { ReleaseValuesData } from '../overlay/releaseValues';
import type { TlsSettings } from '../actionsConfig';
import { Dns01Setup, overlayTlsFor } from '../overlay/tls';
import { examples } from './gitopsCommit.examples';

/** A command that shows one commit of the overlay: `git show` on a local repository, else clone and show. */
export function gitShowCommand(
  repoUrl: string,
  commitSha: string,
  overlayPath: string,
): string {
  if (repoUrl.startsWith('file://')) {
    return `git --git-dir=${repoUrl.slice(
      'file://'.length,
    )} show --stat ${commitSha} -- ${overlayPath}`;
  }
  return `git clone ${repoUrl} gitops && git -C gitops show --stat ${commitSha} -- ${overlayPath}`;
}

/**
 * catalyst:gitops:commit — one commit on the GitOps branch Flux watches: `write` replaces `clusters/<fqdn>/` with
 * the rendered overlay, `remove` deletes it (decommission). With `subpath` only `clusters/<fqdn>/<subpath>/` is
 * written or removed (one Organization's folder) and the rest of the overlay is left as it is. Nothing changed →
 * no commit, the current HEAD is returned, so a retried step is harmless.
 *
 * A recovered task may resume on another backend replica, with an empty workspace: given `releases`, a missing
 * overlay folder is rendered again (the rendering is deterministic) before it is committed; without them a
 * missing folder is an error, never an empty overlay.
 */
export function createGitopsCommitAction(options: {
  repository: () => GitOpsRepository;
  releaseValues?: () => ReleaseValuesData;
  /** The same TLS settings catalyst:overlay:render uses, for rendering the overlay again. */
  tls?: TlsSettings;
}) {
  return createTemplateAction({
    id: 'catalyst:gitops:commit',
    description:
      "Commits (or removes) a Sovereign's Flux overlay on the GitOps repository branch",
    examples,
    schema: {
      input: {
        fqdn: z => z.string().describe('The Sovereign FQDN'),
        mode: z =>
          z
            .enum(['write', 'remove'])
            .default('write')
            .optional()
            .describe('write (default) or remove'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Overlay folder in the workspace (default clusters/<fqdn>, as catalyst:overlay:render writes it)',
            ),
        subpath: z =>
          z
            .string()
            .optional()
            .describe(
              'Only write (or remove) clusters/<fqdn>/<subpath>, e.g. tenants/acme; the rest of the overlay is untouched and the folder is listed in its parent kustomization.yaml',
            ),
        message: z => z.string().optional().describe('Commit message'),
        releases: z =>
          z
            .array(z.record(z.unknown()))
            .optional()
            .describe(
              'steps.blueprints.output.releases: renders the overlay again when the workspace lost it (a recovered task)',
            ),
        dns01: () =>
          dns01SetupSchema
            .optional()
            .describe(
              'The dns01 input catalyst:overlay:render got, so an overlay rendered again has the same certificate issuers',
            ),
        email: z =>
          z
            .string()
            .optional()
            .describe('The email input catalyst:overlay:render got'),
      },
      output: {
        commitSha: z => z.string().describe('Branch HEAD after the operation'),
        overlayUrl: z =>
          z.string().describe('Where the overlay can be browsed'),
        path: z =>
          z.string().describe('clusters/<fqdn>, or clusters/<fqdn>/<subpath>'),
        repoUrl: z => z.string().describe('The GitOps repository'),
        branch: z => z.string().describe('The GitOps branch'),
        changed: z => z.boolean().describe('false when nothing had to change'),
        browsable: z =>
          z
            .boolean()
            .describe(
              'true when overlayUrl opens in a browser (an http(s) remote); false for a local repository',
            ),
        gitCommand: z =>
          z
            .string()
            .describe(
              'A git command that shows the commit, to copy when the repository cannot be browsed',
            ),
      },
    },
    async handler(ctx) {
      const { fqdn, mode = 'write', subpath } = ctx.input;
      const repository = options.repository();
      const what = subpath
        ? `${subpath} of Sovereign ${fqdn}`
        : `the overlay of Sovereign ${fqdn}`;
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.sourcePath ??
          (subpath ? `clusters/${fqdn}/${subpath}` : `clusters/${fqdn}`),
      );
      if (
        mode === 'write' &&
        !subpath &&
        ctx.input.releases &&
        options.releaseValues &&
        !(await exists(sourceDir))
      ) {
        const overlay = new ClusterOverlay({
          fqdn,
          releases: ctx.input.releases as unknown as OverlayRelease[],
          releaseValues: options.releaseValues(),
          tls: overlayTlsFor(
            options.tls,
            ctx.input.dns01 as Dns01Setup | undefined,
            ctx.input.email,
          ),
        });
        const files = await overlay.write(ctx.workspacePath);
        ctx.logger.info(
          `The workspace had no overlay (a recovered task): rendered ${files.length} files into ${overlay.relativeRoot} again`,
        );
      }
      const result =
        mode === 'remove'
          ? await repository.removeOverlay({
              fqdn,
              subpath,
              message: ctx.input.message ?? `Remove ${what}`,
              signal: ctx.signal,
            })
          : await repository.writeOverlay({
              fqdn,
              subpath,
              sourceDir,
              message: ctx.input.message ?? `Add ${what} (task ${ctx.task.id})`,
              signal: ctx.signal,
            });
      ctx.output('commitSha', result.commitSha);
      ctx.output('overlayUrl', repository.overlayUrl(result.path));
      ctx.output('path', result.path);
      ctx.output('repoUrl', repository.repoUrl);
      ctx.output('branch', repository.branch);
      ctx.output('changed', result.changed);
      ctx.output('browsable', /^https?:\/\//.test(repository.repoUrl));
      ctx.output(
        'gitCommand',
        gitShowCommand(repository.repoUrl, result.commitSha, result.path),
      );
    },
  });
}

async function exists(dir: string): Promise<boolean> {
  try {
    await fs.access(dir);
    return true;
  } catch {
    return false;
  }
}
