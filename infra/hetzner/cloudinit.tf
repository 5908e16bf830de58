# Cluster layout and cloud-init rendering, shared verbatim by infra/hetzner and infra/sandbox (the sandbox links
# this file), so the offline module exercises the same templates with the same values. Each module's main.tf
# defines local.load_balancer_ipv4: a map from region to the address the control planes advertise.

locals {
  fqdn_dashed = replace(var.sovereign_fqdn, ".", "-")
  gitops_path = var.gitops_path != "" ? var.gitops_path : "clusters/${var.sovereign_fqdn}"

  control_plane_count = var.ha_enabled ? 3 : 1

  # One cluster per region entry (regions[0] is the primary). Without entries, the singular variables describe
  # the only region.
  region_list = length(var.regions) > 0 ? var.regions : [{
    provider         = "hetzner"
    cloudRegion      = var.region
    controlPlaneSize = var.control_plane_size
    workerSize       = var.worker_size
    workerCount      = var.worker_count
  }]

  network_zones = {
    fsn1 = "eu-central"
    nbg1 = "eu-central"
    hel1 = "eu-central"
    ash  = "us-east"
    hil  = "us-west"
  }

  clusters = { for i, r in local.region_list : r.cloudRegion => {
    primary            = i == 0
    location           = r.cloudRegion
    network_zone       = lookup(local.network_zones, r.cloudRegion, "eu-central")
    control_plane_size = r.controlPlaneSize
    worker_size        = r.workerSize
    worker_count       = r.workerCount
    # The primary keeps the reference's names; further regions carry their location.
    name = i == 0 ? "catalyst-${local.fqdn_dashed}" : "catalyst-${local.fqdn_dashed}-${r.cloudRegion}"
    k3s_token = i == 0 ? sha256("${var.hcloud_project_id}/${var.sovereign_fqdn}/k3s-bootstrap") : sha256(
    "${var.hcloud_project_id}/${var.sovereign_fqdn}/${r.cloudRegion}/k3s-bootstrap")
  } }

  primary_region = local.region_list[0].cloudRegion

  # Every cluster has its own network with the same plan: control planes at 10.0.1.2-4, workers from 10.0.1.10.
  api_private_ip = cidrhost("10.0.1.0/24", 2)

  control_plane_nodes = merge([for key, c in local.clusters : {
    for n in range(local.control_plane_count) : "${key}-cp${n + 1}" => {
      cluster     = key
      index       = n
      name        = "${c.name}-cp${n + 1}"
      private_ip  = cidrhost("10.0.1.0/24", 2 + n)
      server_type = c.control_plane_size
      location    = c.location
    }
  }]...)

  worker_nodes = merge([for key, c in local.clusters : {
    for n in range(c.worker_count) : "${key}-w${n + 1}" => {
      cluster     = key
      index       = n
      name        = "${c.name}-w${n + 1}"
      private_ip  = cidrhost("10.0.1.0/24", 10 + n)
      server_type = c.worker_size
      location    = c.location
    }
  }]...)

  labels = merge(
    {
      "catalyst.openova.io/sovereign" = var.sovereign_fqdn
      "catalyst.openova.io/org"       = substr(trim(replace(lower(var.org_name), "/[^a-z0-9_.-]+/", "-"), "-_."), 0, 63)
    },
    var.deployment_id == "" ? {} : { "catalyst.openova.io/deployment-id" = var.deployment_id },
  )

  ghcr_pull_username = "openova-bot"
  ghcr_dockerconfigjson_b64 = base64encode(jsonencode({
    auths = var.ghcr_pull_token == "" ? {} : {
      "ghcr.io" = {
        username = local.ghcr_pull_username
        password = var.ghcr_pull_token
        auth     = base64encode("${local.ghcr_pull_username}:${var.ghcr_pull_token}")
      }
    }
  }))

  kubeconfig_putback = var.deployment_id != "" && var.kubeconfig_bearer_token != "" && var.catalyst_api_url != ""

  cloudinit_common = {
    fqdn                       = var.sovereign_fqdn
    subdomain                  = var.sovereign_subdomain
    org_name                   = var.org_name
    org_email                  = var.org_email
    ha_enabled                 = var.ha_enabled
    k3s_version                = var.k3s_version
    gitops_repo_url            = var.gitops_repo_url
    gitops_branch              = var.gitops_branch
    gitops_path                = local.gitops_path
    enable_fail2ban            = var.enable_fail2ban
    enable_unattended_upgrades = var.enable_unattended_upgrades
    api_private_ip             = local.api_private_ip
    join_address               = local.api_private_ip
    ghcr_dockerconfigjson_b64  = local.ghcr_dockerconfigjson_b64
    deployment_id              = var.deployment_id
    sovereign_name             = var.sovereign_name
    kubeconfig_bearer_token    = var.kubeconfig_bearer_token
    catalyst_api_url           = trimsuffix(var.catalyst_api_url, "/")
    dns01_tsig_secret_b64      = var.dns01_tsig_secret == "" ? "" : base64encode(var.dns01_tsig_secret)
  }

  control_plane_user_data = { for key, node in local.control_plane_nodes : key => templatefile(
    node.index == 0 ? "${path.module}/cloudinit-control-plane-init.tftpl" : "${path.module}/cloudinit-control-plane-join.tftpl",
    merge(local.cloudinit_common, {
      region             = node.location
      worker_count       = local.clusters[node.cluster].worker_count
      k3s_token          = local.clusters[node.cluster].k3s_token
      lb_ipv4            = local.load_balancer_ipv4[node.cluster]
      flux_bootstrap     = local.clusters[node.cluster].primary
      kubeconfig_putback = local.clusters[node.cluster].primary && local.kubeconfig_putback
    })
  ) }

  worker_user_data = { for key, node in local.worker_nodes : key => templatefile(
    "${path.module}/cloudinit-worker.tftpl",
    merge(local.cloudinit_common, {
      region             = node.location
      worker_count       = local.clusters[node.cluster].worker_count
      k3s_token          = local.clusters[node.cluster].k3s_token
      lb_ipv4            = local.load_balancer_ipv4[node.cluster]
      flux_bootstrap     = false
      kubeconfig_putback = false
    })
  ) }
}
