import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { CostEstimate } from '@catalyst/plugin-catalyst-common';
import { money } from './format';

/** The running monthly estimate of every region card together. */
export const CostSummary = ({ cost }: { cost: CostEstimate }) => (
  <Box mt={2} aria-live="polite">
    <Typography variant="subtitle1" data-testid="cost-total">
      Estimated: {money(cost.perHour)}/hr · {money(cost.perMonth)}/mo
    </Typography>
    <Typography variant="caption" color="textSecondary">
      Nodes only; load balancers and volumes are not included.
    </Typography>
  </Box>
);
