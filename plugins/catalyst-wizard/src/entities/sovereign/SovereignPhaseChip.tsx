import Chip from '@material-ui/core/Chip';
import { useTheme } from '@material-ui/core/styles';

export type PhaseTone =
  | 'success'
  | 'error'
  | 'warning'
  | 'progress'
  | 'inactive';

/**
 * How a Sovereign phase reads at a glance. Covers the registry phases and the lifecycle phases of the
 * provisioning spec; an unknown phase is shown as in progress rather than hidden.
 */
export function phaseTone(phase: string | undefined): PhaseTone {
  switch (phase) {
    case 'ready':
      return 'success';
    case 'failed':
    case 'timeout':
      return 'error';
    case 'degraded':
    case 'dns-pending':
    case 'awaiting-delegation':
      return 'warning';
    case 'decommissioned':
    case undefined:
      return 'inactive';
    default:
      return 'progress';
  }
}

export function SovereignPhaseChip(props: { phase?: string }) {
  const theme = useTheme();
  const tone = phaseTone(props.phase);
  const colors: Record<PhaseTone, string> = {
    success: theme.palette.success.main,
    error: theme.palette.error.main,
    warning: theme.palette.warning.main,
    progress: theme.palette.info.main,
    inactive: theme.palette.grey[500],
  };
  return (
    <Chip
      size="small"
      label={props.phase ?? 'unknown'}
      data-tone={tone}
      style={{
        backgroundColor: colors[tone],
        color: theme.palette.getContrastText(colors[tone]),
        fontWeight: 600,
      }}
    />
  );
}
