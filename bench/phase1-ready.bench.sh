#!/usr/bin/env bash
# Phase 1 in the embedded default (docs/phase1.md): the portal as `./catalyst start` runs it (cluster stand-in
# reconciling one step every 1.5 s, watcher polling every 2 s), one pool Sovereign provisioned over the
# scaffolder API with the wizard's default component selection. Figures: launch → task completed (the
# await-ready step returns once the Sovereign is ready), the time spent bootstrapping (from the phase-change
# events), and how many platform components the watcher followed.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/toolchain.sh"
source "$(dirname "$0")/../scripts/lib/portal.sh"
toolchain_setup

data="$CATALYST_ROOT/.data/bench-phase1"
rm -rf "$data"
export CATALYST_CLUSTER_STANDIN_STEP_MS="${CATALYST_CLUSTER_STANDIN_STEP_MS:-1500}"
portal_start "$data" "$(free_port)"
trap 'portal_stop; rm -rf "$data"' EXIT

node - "$CATALYST_PORTAL_URL" <<'JS'
const base = process.argv[2];
(async () => {
  const auth = await (await fetch(`${base}/api/auth/guest/refresh`, { method: 'POST', headers: { 'X-Requested-With': 'XMLHttpRequest' } })).json();
  const headers = { Authorization: `Bearer ${auth.backstageIdentity.token}`, 'Content-Type': 'application/json' };
  // The catalog reads the templates shortly after start-up.
  for (let i = 0; i < 240; i++) {
    const res = await fetch(`${base}/api/catalog/entities/by-name/template/default/provision-sovereign`, { headers });
    if (res.ok) break;
    await new Promise(r => setTimeout(r, 500));
  }
  const data = await (await fetch(`${base}/api/catalyst/v1/catalog-data`, { headers })).json();
  const components = data.components.components.filter(c => c.defaultSelected).map(c => c.id);
  const subdomain = `bench${Date.now().toString(36)}`;
  const name = `${subdomain}-omani-works`;
  const t0 = Date.now();
  const created = await fetch(`${base}/api/scaffolder/v2/tasks`, {
    method: 'POST', headers,
    body: JSON.stringify({
      templateRef: 'template:default/provision-sovereign',
      values: {
        orgName: 'Phase 1 bench', orgIndustry: 'Telecommunications', orgSize: '2,000–10,000',
        orgHeadquarters: 'Muscat, Oman', orgCompliance: [],
        topology: { template: 'solo', airgap: false, haEnabled: false },
        regions: [{ provider: 'hetzner', cloudRegion: 'fsn1', controlPlaneSize: 'cpx52', workerSize: 'cpx32', workerCount: 1 }],
        providerCredentials: { hetzner: 'validated' }, hetznerProjectId: 'proj_bench',
        sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl catalyst@bench',
        components, domain: { mode: 'pool', poolDomain: 'omani.works', subdomain }, orgEmail: 'platform@example.com',
      },
      secrets: { hetznerToken: 'b3nc'.repeat(16) },
    }),
  });
  if (created.status !== 201) throw new Error(`task creation: ${created.status} ${await created.text()}`);
  const { id } = await created.json();
  let status;
  for (;;) {
    status = (await (await fetch(`${base}/api/scaffolder/v2/tasks/${id}`, { headers })).json()).status;
    if (!['open', 'processing'].includes(status)) break;
    await new Promise(r => setTimeout(r, 250));
  }
  const t1 = Date.now();
  const record = await (await fetch(`${base}/api/catalyst/v1/sovereigns/${name}`, { headers })).json();
  if (status !== 'completed' || record.phase !== 'ready') throw new Error(`task ${status}, phase ${record.phase}`);
  const events = (await (await fetch(`${base}/api/catalyst/v1/sovereigns/${name}/events`, { headers })).json()).items;
  const entered = phase => Date.parse(events.find(e => e.phase === phase).time);
  console.log(`BENCH\tlaunch to ready (${components.length} default components)\t${((t1 - t0) / 1000).toFixed(1)}\ts`);
  console.log(`BENCH\tbootstrapping to ready\t${((entered('ready') - entered('bootstrapping')) / 1000).toFixed(1)}\ts`);
  console.log(`BENCH\tplatform components watched\t${record.readiness.components.length}\tcount`);
})().catch(e => { console.error(e); process.exit(1); });
JS
