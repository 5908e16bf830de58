/**
 * The Kubernetes client is the largest module this plugin uses (about 23 MiB of heap and a second of CPU to
 * load) and only Phase 1 needs it: the kubeconfig handoff check and the watcher of a bootstrapping Sovereign.
 * It is required on first use instead of with the plugin at start-up; Node caches it like any other module.
 */
export type KubernetesClient = typeof import('@kubernetes/client-node');

export function kubernetesClient(): KubernetesClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@kubernetes/client-node');
}
