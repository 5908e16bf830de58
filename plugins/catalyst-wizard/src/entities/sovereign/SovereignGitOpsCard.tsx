import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Link,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { CopyButton } from '../../components/CopyButton';
import { sovereignSpec } from '../catalystEntities';
import { gitopsLinks, gitShowCommand } from './gitopsLinks';

/** Where Flux reads this Sovereign's cluster overlay, and the commit it was last written at. */
export function SovereignGitOpsCard() {
  const { entity } = useEntity();
  const spec = sovereignSpec(entity);
  const gitops = spec.gitops;
  if (!gitops?.repoUrl) {
    return (
      <InfoCard title="GitOps">
        <Typography variant="body2" color="textSecondary">
          The cluster overlay has not been written yet.
        </Typography>
      </InfoCard>
    );
  }
  const links = gitopsLinks(gitops);
  const removed = spec.phase === 'decommissioned';
  // A repository a browser cannot open (a local remote on the portal's server): say where it is and how to look.
  const command = gitops.commitSha
    ? gitShowCommand(gitops.repoUrl, gitops.commitSha, gitops.path ?? '')
    : undefined;
  return (
    <InfoCard title="GitOps">
      {removed && (
        <Typography variant="body2" color="textSecondary" paragraph>
          The overlay was removed when the Sovereign was decommissioned; the
          commit below is the last one that wrote it.
        </Typography>
      )}
      <StructuredMetadataTable
        metadata={{
          Repository: links ? (
            <Link to={links.repository}>{links.repository}</Link>
          ) : (
            <code>{gitops.repoUrl}</code>
          ),
          Branch: gitops.branch ?? '—',
          Overlay:
            links?.overlay && !removed ? (
              <Link to={links.overlay}>{gitops.path ?? links.overlay}</Link>
            ) : (
              <code>{gitops.path ?? '—'}</code>
            ),
          Commit: gitops.commitSha ? (
            <>
              {links?.commit ? (
                <Link to={links.commit} title={gitops.commitSha}>
                  <code>{gitops.commitSha.slice(0, 12)}</code>
                </Link>
              ) : (
                <code title={gitops.commitSha}>
                  {gitops.commitSha.slice(0, 12)}
                </code>
              )}
            </>
          ) : (
            'not committed yet'
          ),
        }}
      />
      {command && !links && (
        <Box mt={2}>
          <Typography variant="body2">
            This repository is local to the portal's server, so a browser cannot
            open it. Show the commit with:
          </Typography>
          <Box display="flex" alignItems="center" style={{ gap: 4 }}>
            <Typography
              component="code"
              variant="body2"
              data-testid="gitops-command"
              style={{ wordBreak: 'break-all', fontFamily: 'monospace' }}
            >
              {command}
            </Typography>
            <CopyButton text={command} label="Copy the git command" />
          </Box>
        </Box>
      )}
    </InfoCard>
  );
}
