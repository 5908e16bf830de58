/**
 * The topology and the region cards live on different pages, and a field can only change its own value. So the
 * topology picker records that the topology changed, and the region sizing re-seeds its cards on its next visit
 * (docs/wizard.md §2: changing the topology clears the per-region values).
 */
let changedSinceSeed = false;

export function markTopologyChanged(): void {
  changedSinceSeed = true;
}

/** True once after a topology change; reading it acknowledges the change. */
export function consumeTopologyChange(): boolean {
  const changed = changedSinceSeed;
  changedSinceSeed = false;
  return changed;
}
