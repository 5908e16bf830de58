output "control_plane_ip" {
  description = "Public IPv4 of the first control plane of the primary region."
  value       = hcloud_server.control_plane["${local.primary_region}-cp1"].ipv4_address
}

output "load_balancer_ip" {
  description = "Public IPv4 of the primary region's load balancer: the address the Sovereign's A records point at."
  value       = hcloud_load_balancer.main[local.primary_region].ipv4
}

output "sovereign_fqdn" {
  description = "The Sovereign's FQDN."
  value       = var.sovereign_fqdn
}

output "console_url" {
  description = "URL of the Sovereign's console."
  value       = "https://console.${var.sovereign_fqdn}"
}

output "gitops_repo_url" {
  description = "Repository and folder Flux reconciles."
  value       = "${var.gitops_repo_url}//${local.gitops_path}"
}

output "clusters" {
  description = "Per region: the first control plane's and the load balancer's public IPv4."
  value = { for key, c in local.clusters : key => {
    primary          = c.primary
    control_plane_ip = hcloud_server.control_plane["${key}-cp1"].ipv4_address
    load_balancer_ip = hcloud_load_balancer.main[key].ipv4
  } }
}
