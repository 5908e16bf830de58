/** What the voucher routes need to know about Sovereigns: that they exist, who owns them, their phase. */
export interface SovereignDirectory {
  get(
    name: string,
  ): Promise<{ name: string; owner: string; phase: string } | undefined>;
  list(): Promise<Array<{ name: string; owner: string }>>;
}

/**
 * Only a `ready` Sovereign takes money or tenants: no voucher is issued or redeemed, and no tenant committed,
 * for one that is still provisioning, failed, or is being (or was) decommissioned.
 */
export function sovereignNotReadyMessage(
  name: string,
  phase: string,
  action: string,
): string | undefined {
  if (phase === 'ready') return undefined;
  return `Sovereign ${name} is ${phase}: ${action} only for a ready Sovereign`;
}

const sovereignRefPattern =
  /^(?:sovereign:)?(?:default\/)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/i;

/**
 * Reads a Sovereign named by its entity name or its entity ref (`sovereign:default/<name>`, any case for the
 * kind), the forms the admin page and the templates send.
 */
export function sovereignRefOf(
  value: string,
): { name: string; ref: string } | undefined {
  const match = sovereignRefPattern.exec(value.trim());
  if (!match) return undefined;
  const name = match[1].toLowerCase();
  if (name !== match[1]) return undefined;
  return { name, ref: `sovereign:default/${name}` };
}
