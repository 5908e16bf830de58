import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import {
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  parseEntityRef,
} from '@backstage/catalog-model';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  EntityRefLink,
  EntityRefLinks,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { voucherSpec } from '../catalystEntities';
import { Note } from '../Note';
import {
  describeExpiry,
  describeRedemptions,
  formatVoucherCredit,
  maskVoucherCode,
} from './voucherFormat';

/** A malformed ref from an older provider must not take the whole card down. */
function isEntityRef(ref: string): boolean {
  try {
    parseEntityRef(ref, { defaultKind: 'user', defaultNamespace: 'default' });
    return true;
  } catch {
    return false;
  }
}

function StateChip(props: { state?: string }) {
  const theme = useTheme();
  let color = theme.palette.grey[500];
  if (props.state === 'active') color = theme.palette.success.main;
  if (props.state === 'revoked') color = theme.palette.error.main;
  return (
    <Chip
      size="small"
      label={props.state ?? 'unknown'}
      style={{
        backgroundColor: color,
        color: theme.palette.getContrastText(color),
        fontWeight: 600,
      }}
    />
  );
}

/** A voucher's status, credit, expiry and redemptions. The code itself is never shown, only its tail. */
export function VoucherOverviewCard() {
  const { entity } = useEntity();
  const spec = voucherSpec(entity);
  const sovereigns = getEntityRelations(entity, RELATION_PART_OF, {
    kind: 'sovereign',
  });
  const owners = getEntityRelations(entity, RELATION_OWNED_BY);
  const expiry = describeExpiry(spec.expiresAt);
  const used = spec.timesRedeemed ?? 0;
  let sovereignLink: ReactNode = '—';
  if (sovereigns.length > 0) {
    sovereignLink = (
      <EntityRefLinks entityRefs={sovereigns} defaultKind="sovereign" />
    );
  } else if (spec.sovereign && isEntityRef(spec.sovereign)) {
    sovereignLink = (
      <EntityRefLink entityRef={spec.sovereign} defaultKind="sovereign" />
    );
  }
  const max = spec.maxRedemptions ?? 0;

  return (
    <InfoCard title="Voucher">
      <Box display="flex" alignItems="center" style={{ gap: 12 }} mb={2}>
        <Typography
          variant="h5"
          component="p"
          style={{ fontFamily: 'monospace' }}
        >
          {maskVoucherCode(spec.codeMasked)}
        </Typography>
        <StateChip state={spec.state} />
      </Box>
      <Note>{spec.description}</Note>
      <StructuredMetadataTable
        metadata={{
          Credit: formatVoucherCredit(spec.credit),
          Expires: expiry.label,
          Redemptions: describeRedemptions(used, max),
          Sovereign: sovereignLink,
          Owner:
            owners.length > 0 ? (
              <EntityRefLinks entityRefs={owners} defaultKind="group" />
            ) : (
              spec.owner ?? '—'
            ),
          'Issued by':
            spec.issuedBy && isEntityRef(spec.issuedBy) ? (
              <EntityRefLink entityRef={spec.issuedBy} defaultKind="user" />
            ) : (
              '—'
            ),
        }}
      />
      {max > 0 && (
        <Box mt={2}>
          <LinearProgress
            variant="determinate"
            value={Math.min(100, (used / max) * 100)}
            aria-label="Redemptions used"
          />
        </Box>
      )}
    </InfoCard>
  );
}
