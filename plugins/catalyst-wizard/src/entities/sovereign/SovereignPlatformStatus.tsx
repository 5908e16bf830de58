import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { SovereignPhaseChip } from './SovereignPhaseChip';
import { PlatformView, componentsByName } from './usePlatformReadiness';

/** Fetches the kubeconfig with the user's credentials and hands it to the browser as a file. */
function KubeconfigDownload(props: { sovereignName: string }) {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [message, setMessage] = useState<string>();
  const download = async () => {
    setMessage(undefined);
    const base = await discoveryApi.getBaseUrl('catalyst');
    const res = await fetchApi.fetch(
      `${base}/v1/sovereigns/${encodeURIComponent(
        props.sovereignName,
      )}/kubeconfig`,
    );
    if (res.status === 403) {
      setMessage(
        "Only the Sovereign's owners and platform admins may download its kubeconfig.",
      );
      return;
    }
    if (!res.ok) {
      setMessage(
        `The kubeconfig could not be downloaded (HTTP ${res.status}).`,
      );
      return;
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${props.sovereignName}.kubeconfig.yaml`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  };
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <Button
        size="small"
        variant="outlined"
        onClick={() => void download()}
        data-testid="kubeconfig-download"
      >
        Download kubeconfig
      </Button>
      {message && (
        <Typography
          variant="caption"
          color="error"
          data-testid="kubeconfig-message"
        >
          {message}
        </Typography>
      )}
    </Box>
  );
}

/**
 * Phase 1 at a glance, above the dependency graph: the phase, how many components are ready, and the root cause
 * (the first blocked component and why).
 */
export function SovereignPlatformStatus(props: {
  sovereignName: string;
  view?: PlatformView;
}) {
  const { view } = props;
  if (!view) return null;
  const components = view.readiness?.components ?? [];
  const ready = components.filter(c => c.ready).length;
  const root = view.readiness?.firstBlocked
    ? componentsByName(view.readiness).get(view.readiness.firstBlocked)
    : undefined;
  let summary: string;
  if (components.length > 0) {
    summary = `${ready} of ${components.length} platform components ready`;
  } else if (view.kubeconfigReceivedAt) {
    summary = 'Waiting for the first view of the cluster';
  } else {
    summary = 'Waiting for the cluster to hand its kubeconfig back';
  }
  return (
    <Box
      data-testid="platform-status"
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 12, marginBottom: 8 }}
    >
      <Box data-testid="platform-phase" data-phase={view.phase}>
        <SovereignPhaseChip phase={view.phase} />
      </Box>
      <Typography variant="body2" data-testid="platform-summary">
        {summary}
      </Typography>
      {root && root.state === 'failed' && (
        <Typography
          variant="body2"
          color="error"
          data-testid="platform-first-blocked"
        >
          Blocked at <strong>{root.name}</strong>: {root.cause ?? root.reason}
          {root.message ? ` — ${root.message.split('\n')[0]}` : ''}
        </Typography>
      )}
      {root && root.state !== 'failed' && (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="platform-waiting-on"
        >
          Waiting on <strong>{root.name}</strong> ({root.state})
        </Typography>
      )}
      {view.kubeconfigReceivedAt && (
        <KubeconfigDownload sovereignName={props.sovereignName} />
      )}
    </Box>
  );
}
