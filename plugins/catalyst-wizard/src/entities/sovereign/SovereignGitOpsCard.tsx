import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Link,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { sovereignSpec } from '../catalystEntities';
import { gitopsLinks } from './gitopsLinks';

/** Where Flux reads this Sovereign's cluster overlay, and the commit it was last written at. */
export function SovereignGitOpsCard() {
  const { entity } = useEntity();
  const gitops = sovereignSpec(entity).gitops;
  const links = gitops ? gitopsLinks(gitops) : undefined;
  if (!gitops || !links) {
    return (
      <InfoCard title="GitOps">
        <Typography variant="body2" color="textSecondary">
          The cluster overlay has not been written yet.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title="GitOps">
      <StructuredMetadataTable
        metadata={{
          Repository: <Link to={links.repository}>{links.repository}</Link>,
          Branch: gitops.branch ?? '—',
          Overlay: links.overlay ? (
            <Link to={links.overlay}>{gitops.path ?? links.overlay}</Link>
          ) : (
            '—'
          ),
          Commit:
            gitops.commitSha && links.commit ? (
              <Link to={links.commit} title={gitops.commitSha}>
                <code>{gitops.commitSha.slice(0, 12)}</code>
              </Link>
            ) : (
              'not committed yet'
            ),
        }}
      />
    </InfoCard>
  );
}
