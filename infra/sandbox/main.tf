# Offline stand-in for infra/hetzner: the same variables, outputs and cloud-init rendering, built only from
# Terraform's built-in resources. It lets a laptop or CI run the whole provisioning flow (state backend, locks,
# outputs, cancellation) without a cloud account. Addresses are deterministic and come from the documentation
# ranges (RFC 5737): control planes in 198.51.100.0/24, load balancers in 203.0.113.0/24.

locals {
  address_seed = { for key, c in local.clusters : key => parseint(substr(sha256("${var.sovereign_fqdn}/${key}"), 0, 4), 16) }

  load_balancer_ipv4 = { for key, seed in local.address_seed : key => cidrhost("203.0.113.0/24", 1 + seed % 254) }

  control_plane_ipv4 = { for key, node in local.control_plane_nodes : key => cidrhost(
    "198.51.100.0/24", 1 + (local.address_seed[node.cluster] + node.index) % 254
  ) }

  worker_ipv4 = { for key, node in local.worker_nodes : key => cidrhost(
    "198.51.100.0/24", 1 + (local.address_seed[node.cluster] + 3 + node.index) % 254
  ) }
}

resource "terraform_data" "load_balancer" {
  for_each = local.clusters

  input = {
    name     = "${each.value.name}-lb"
    location = each.value.location
    ipv4     = local.load_balancer_ipv4[each.key]
    services = ["tcp 80 -> 31080", "tcp 443 -> 31443", "tcp 6443 -> 6443"]
    labels   = local.labels
  }
}

resource "terraform_data" "control_plane" {
  for_each = local.control_plane_nodes

  input = {
    name        = each.value.name
    server_type = each.value.server_type
    location    = each.value.location
    private_ip  = each.value.private_ip
    ipv4        = local.control_plane_ipv4[each.key]
    labels      = merge(local.labels, { "catalyst.openova.io/role" = "control-plane" })
    user_data   = local.control_plane_user_data[each.key]
  }

  depends_on = [terraform_data.load_balancer]
}

resource "terraform_data" "worker" {
  for_each = local.worker_nodes

  input = {
    name        = each.value.name
    server_type = each.value.server_type
    location    = each.value.location
    private_ip  = each.value.private_ip
    ipv4        = local.worker_ipv4[each.key]
    labels      = merge(local.labels, { "catalyst.openova.io/role" = "worker" })
    user_data   = local.worker_user_data[each.key]
  }

  depends_on = [terraform_data.control_plane]
}

# The first boot of the control plane, offline. A real control plane PUTs its kubeconfig back to Catalyst once
# k3s is up (cloudinit-control-plane-init.tftpl). Here the local cluster stand-in (scripts/cluster-standin.js,
# started by `./catalyst start` at CATALYST_SANDBOX_CLUSTER_URL) plays the new cluster: it is created from the
# committed overlay and PUTs its kubeconfig to the same route with the same single-use secret. Without
# CATALYST_SANDBOX_CLUSTER_URL nothing is handed back (and Catalyst reports that the kubeconfig never arrived).
resource "terraform_data" "first_boot" {
  count            = nonsensitive(local.kubeconfig_putback) ? 1 : 0
  triggers_replace = [terraform_data.control_plane["${local.primary_region}-cp1"].id]

  provisioner "local-exec" {
    interpreter = ["node", "-e"]
    command     = <<-EOT
      const base = process.env.CATALYST_SANDBOX_CLUSTER_URL;
      if (!base) {
        console.log('No cluster stand-in (CATALYST_SANDBOX_CLUSTER_URL is unset): the kubeconfig is not handed back');
        process.exit(0);
      }
      fetch(base.replace(/\/$/, '') + '/_standin/clusters', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: process.env.SOVEREIGN_NAME,
          gitops: { repoUrl: process.env.GITOPS_REPO_URL, branch: process.env.GITOPS_BRANCH, path: process.env.GITOPS_PATH },
          handoff: { url: process.env.CATALYST_API_URL, secret: process.env.HANDOFF_SECRET },
        }),
      }).then(async res => {
        if (res.status !== 201) {
          console.error('The cluster stand-in answered ' + res.status + ': ' + (await res.text()));
          process.exit(1);
        }
        console.log('The cluster stand-in runs ' + process.env.SOVEREIGN_NAME + ' and hands its kubeconfig back');
      }, err => {
        console.error('The cluster stand-in is unreachable: ' + err.message);
        process.exit(1);
      });
    EOT
    environment = {
      SOVEREIGN_NAME   = var.sovereign_name
      CATALYST_API_URL = trimsuffix(var.catalyst_api_url, "/")
      HANDOFF_SECRET   = var.kubeconfig_bearer_token
      GITOPS_REPO_URL  = var.gitops_repo_url
      GITOPS_BRANCH    = var.gitops_branch
      GITOPS_PATH      = local.gitops_path
    }
  }
}
