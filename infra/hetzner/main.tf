# A Sovereign on Hetzner Cloud (provisioning.md §2.2): one cluster set per region entry. Every resource is named
# catalyst-<fqdn-dashed>[-<region>]-… and labelled with the Sovereign, its org and the deployment id, so a
# leftover can be traced to the run that created it.

locals {
  load_balancer_ipv4 = { for key, lb in hcloud_load_balancer.main : key => lb.ipv4 }

  firewall_rules = concat(
    [for port in ["80", "443", "6443"] : {
      protocol   = "tcp"
      port       = port
      source_ips = ["0.0.0.0/0", "::/0"]
    }],
    [{
      protocol   = "icmp"
      port       = null
      source_ips = ["0.0.0.0/0", "::/0"]
    }],
    length(var.ssh_allowed_cidrs) == 0 ? [] : [{
      protocol   = "tcp"
      port       = "22"
      source_ips = var.ssh_allowed_cidrs
    }],
  )
}

resource "hcloud_ssh_key" "main" {
  name       = "catalyst-${local.fqdn_dashed}"
  public_key = trimspace(var.ssh_public_key)
  labels     = local.labels
}

resource "hcloud_firewall" "main" {
  name   = "catalyst-${local.fqdn_dashed}-fw"
  labels = local.labels

  dynamic "rule" {
    for_each = local.firewall_rules
    content {
      direction  = "in"
      protocol   = rule.value.protocol
      port       = rule.value.port
      source_ips = rule.value.source_ips
    }
  }
}

resource "hcloud_network" "main" {
  for_each = local.clusters

  name     = "${each.value.name}-net"
  ip_range = "10.0.0.0/16"
  labels   = local.labels
}

resource "hcloud_network_subnet" "main" {
  for_each = local.clusters

  network_id   = hcloud_network.main[each.key].id
  type         = "cloud"
  network_zone = each.value.network_zone
  ip_range     = "10.0.1.0/24"
}

# The load balancer comes first: the control-plane user-data carries its address (TLS SAN, kubeconfig PUT-back).
resource "hcloud_load_balancer" "main" {
  for_each = local.clusters

  name               = "${each.value.name}-lb"
  load_balancer_type = "lb11"
  location           = each.value.location
  labels             = local.labels

  algorithm {
    type = "round_robin"
  }
}

resource "hcloud_load_balancer_network" "main" {
  for_each = local.clusters

  load_balancer_id = hcloud_load_balancer.main[each.key].id
  subnet_id        = hcloud_network_subnet.main[each.key].id
  ip               = cidrhost("10.0.1.0/24", 254)
}

resource "hcloud_load_balancer_service" "http" {
  for_each = local.clusters

  load_balancer_id = hcloud_load_balancer.main[each.key].id
  protocol         = "tcp"
  listen_port      = 80
  destination_port = 31080
}

resource "hcloud_load_balancer_service" "https" {
  for_each = local.clusters

  load_balancer_id = hcloud_load_balancer.main[each.key].id
  protocol         = "tcp"
  listen_port      = 443
  destination_port = 31443
}

# The PUT-back kubeconfig points at https://<LB IPv4>:6443, so the LB forwards the Kubernetes API as well.
resource "hcloud_load_balancer_service" "kubernetes_api" {
  for_each = local.clusters

  load_balancer_id = hcloud_load_balancer.main[each.key].id
  protocol         = "tcp"
  listen_port      = 6443
  destination_port = 6443

  health_check {
    protocol = "tcp"
    port     = 6443
    interval = 10
    timeout  = 5
    retries  = 3
  }
}

resource "hcloud_server" "control_plane" {
  for_each = local.control_plane_nodes

  name         = each.value.name
  image        = "ubuntu-24.04"
  server_type  = each.value.server_type
  location     = each.value.location
  ssh_keys     = [hcloud_ssh_key.main.id]
  firewall_ids = [hcloud_firewall.main.id]
  user_data    = local.control_plane_user_data[each.key]
  labels       = merge(local.labels, { "catalyst.openova.io/role" = "control-plane" })

  network {
    network_id = hcloud_network.main[each.value.cluster].id
    ip         = each.value.private_ip
  }

  public_net {
    ipv4_enabled = true
    ipv6_enabled = true
  }

  depends_on = [hcloud_network_subnet.main]

  lifecycle {
    # Cloud-init runs once; a changed template must not replace a running node.
    ignore_changes = [user_data, ssh_keys]
  }
}

resource "hcloud_server" "worker" {
  for_each = local.worker_nodes

  name         = each.value.name
  image        = "ubuntu-24.04"
  server_type  = each.value.server_type
  location     = each.value.location
  ssh_keys     = [hcloud_ssh_key.main.id]
  firewall_ids = [hcloud_firewall.main.id]
  user_data    = local.worker_user_data[each.key]
  labels       = merge(local.labels, { "catalyst.openova.io/role" = "worker" })

  network {
    network_id = hcloud_network.main[each.value.cluster].id
    ip         = each.value.private_ip
  }

  public_net {
    ipv4_enabled = true
    ipv6_enabled = true
  }

  depends_on = [hcloud_network_subnet.main, hcloud_server.control_plane]

  lifecycle {
    ignore_changes = [user_data, ssh_keys]
  }
}

# Ingress (Gateway NodePorts) runs on every node, so control planes and workers are all targets.
resource "hcloud_load_balancer_target" "control_plane" {
  for_each = local.control_plane_nodes

  type             = "server"
  load_balancer_id = hcloud_load_balancer.main[each.value.cluster].id
  server_id        = hcloud_server.control_plane[each.key].id
  use_private_ip   = true

  depends_on = [hcloud_load_balancer_network.main]
}

resource "hcloud_load_balancer_target" "worker" {
  for_each = local.worker_nodes

  type             = "server"
  load_balancer_id = hcloud_load_balancer.main[each.value.cluster].id
  server_id        = hcloud_server.worker[each.key].id
  use_private_ip   = true

  depends_on = [hcloud_load_balancer_network.main]
}
