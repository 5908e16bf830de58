# The Sovereign module contract (provisioning.md §2.1). infra/sandbox declares exactly the same variables;
# a test in plugins/catalyst-scaffolder-actions keeps the two files in step.

variable "sovereign_fqdn" {
  type        = string
  description = "Fully qualified domain name of the Sovereign, e.g. omantel.omani.works."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$", var.sovereign_fqdn))
    error_message = "sovereign_fqdn must be lower-case DNS labels separated by dots, each starting with a letter."
  }
}

variable "sovereign_name" {
  type        = string
  description = "The Sovereign's name in Catalyst's registry (derived injectively from the FQDN): the kubeconfig hand-back URL names it."

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.sovereign_name))
    error_message = "sovereign_name must be at most 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "sovereign_subdomain" {
  type        = string
  default     = ""
  description = "Pool label (the part before the pool domain); empty for bring-your-own domains."
}

variable "org_name" {
  type        = string
  description = "Organisation name, used in resource labels and as the initial Org."

  validation {
    condition     = length(trimspace(var.org_name)) > 0
    error_message = "org_name must not be empty."
  }
}

variable "org_email" {
  type        = string
  description = "E-mail of the first sovereign-admin user."

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.org_email))
    error_message = "org_email must be an e-mail address such as admin@example.com."
  }
}

variable "hcloud_token" {
  type        = string
  sensitive   = true
  description = "Hetzner Cloud Read & Write API token. Passed only through the environment (TF_VAR_hcloud_token)."
}

variable "hcloud_project_id" {
  type        = string
  description = "Hetzner project id, kept for attribution and the audit log."

  validation {
    condition     = length(trimspace(var.hcloud_project_id)) > 0
    error_message = "hcloud_project_id must not be empty."
  }
}

variable "region" {
  type        = string
  description = "Hetzner location of the primary region; used when regions is empty."

  validation {
    condition     = contains(["fsn1", "nbg1", "hel1", "ash", "hil"], var.region)
    error_message = "region must be one of fsn1, nbg1, hel1, ash, hil."
  }
}

variable "control_plane_size" {
  type        = string
  default     = "cx42"
  description = "Server type of the control-plane nodes of the primary region; used when regions is empty."

  validation {
    condition     = can(regex("^(cx[0-9]+|cpx[0-9]+|ccx[0-9]+|cax[0-9]+)$", var.control_plane_size))
    error_message = "control_plane_size must be a Hetzner server type such as cx42, cpx32, ccx23 or cax31."
  }
}

variable "worker_size" {
  type        = string
  default     = "cx32"
  description = "Server type of the worker nodes of the primary region (empty when there are none); used when regions is empty."

  validation {
    condition     = var.worker_size == "" || can(regex("^(cx[0-9]+|cpx[0-9]+|ccx[0-9]+|cax[0-9]+)$", var.worker_size))
    error_message = "worker_size must be empty or a Hetzner server type such as cx32, cpx32, ccx23 or cax31."
  }
}

variable "worker_count" {
  type        = number
  default     = 0
  description = "Number of worker nodes of the primary region; used when regions is empty."

  validation {
    condition     = var.worker_count >= 0 && var.worker_count <= 50 && floor(var.worker_count) == var.worker_count
    error_message = "worker_count must be a whole number from 0 to 50."
  }
}

variable "ha_enabled" {
  type        = bool
  default     = false
  description = "true: three control-plane nodes (etcd quorum) per region; false: one."
}

variable "regions" {
  type = list(object({
    provider         = string
    cloudRegion      = string
    controlPlaneSize = string
    workerSize       = string
    workerCount      = number
  }))
  default     = []
  description = "One entry per region; each becomes its own cluster. Empty: one region from the singular variables."

  validation {
    condition     = alltrue([for r in var.regions : contains(["hetzner", "huawei", "oci", "aws", "azure"], r.provider)])
    error_message = "regions[*].provider must be one of hetzner, huawei, oci, aws, azure."
  }

  validation {
    condition     = alltrue([for r in var.regions : r.provider == "hetzner"])
    error_message = "This module provisions Hetzner regions only; remove the regions of other providers or use their module."
  }

  validation {
    condition     = alltrue([for r in var.regions : contains(["fsn1", "nbg1", "hel1", "ash", "hil"], r.cloudRegion)])
    error_message = "regions[*].cloudRegion must be one of fsn1, nbg1, hel1, ash, hil."
  }

  validation {
    condition     = length(distinct([for r in var.regions : r.cloudRegion])) == length(var.regions)
    error_message = "regions[*].cloudRegion must be unique: one cluster per location."
  }

  validation {
    condition = alltrue([for r in var.regions :
      can(regex("^(cx[0-9]+|cpx[0-9]+|ccx[0-9]+|cax[0-9]+)$", r.controlPlaneSize)) &&
      (r.workerSize == "" || can(regex("^(cx[0-9]+|cpx[0-9]+|ccx[0-9]+|cax[0-9]+)$", r.workerSize)))
    ])
    error_message = "regions[*].controlPlaneSize and workerSize must be Hetzner server types such as cpx32 (workerSize may be empty)."
  }

  validation {
    condition = alltrue([for r in var.regions :
      r.workerCount >= 0 && r.workerCount <= 50 && floor(r.workerCount) == r.workerCount &&
      (r.workerCount == 0 || r.workerSize != "")
    ])
    error_message = "regions[*].workerCount must be a whole number from 0 to 50, and workerSize must be set when it is above 0."
  }
}

variable "k3s_version" {
  type        = string
  default     = "v1.31.4+k3s1"
  description = "k3s release installed on every node."

  validation {
    condition     = can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+\\+k3s[0-9]+$", var.k3s_version))
    error_message = "k3s_version must look like v1.31.4+k3s1."
  }
}

variable "ssh_public_key" {
  type        = string
  description = "Break-glass OpenSSH public key (one line). The wizard checks RSA keys for at least 2048 bits."

  validation {
    condition     = !strcontains(trimspace(var.ssh_public_key), "\n") && can(regex("^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) +[A-Za-z0-9+/]{30,}={0,3}( +\\S.*)?$", trimspace(var.ssh_public_key)))
    error_message = "ssh_public_key must be one OpenSSH line of type ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521."
  }
}

variable "domain_mode" {
  type        = string
  default     = "pool"
  description = "How the Sovereign's zone is delegated: pool, byo-manual or byo-api."

  validation {
    condition     = contains(["pool", "byo-manual", "byo-api"], var.domain_mode)
    error_message = "domain_mode must be one of pool, byo-manual, byo-api."
  }
}

variable "pool_domain" {
  type        = string
  default     = ""
  description = "Pool domain in pool mode, e.g. omani.works; empty for bring-your-own domains."
}

variable "ghcr_pull_token" {
  type        = string
  sensitive   = true
  default     = ""
  description = "packages:read token for ghcr.io (Blueprint charts). Passed only through the environment."
}

variable "dns01_tsig_secret" {
  type        = string
  sensitive   = true
  default     = ""
  description = "Secret of the Sovereign zone's DNS-01 TSIG key (base64, from PDM). cloud-init puts it into the Secret cert-manager/catalyst-dns01-tsig that the overlay's ClusterIssuers reference; it never enters git. Passed only through the environment (TF_VAR_dns01_tsig_secret)."

  validation {
    condition     = var.dns01_tsig_secret == "" || can(regex("^[A-Za-z0-9+/]{16,}={0,2}$", var.dns01_tsig_secret))
    error_message = "dns01_tsig_secret must be empty or the base64 TSIG secret PDM created."
  }
}

variable "deployment_id" {
  type        = string
  default     = ""
  description = "Id of the provisioning run; labels every resource and enables the kubeconfig PUT-back."

  validation {
    condition     = can(regex("^([a-z0-9][a-z0-9-]{0,61}[a-z0-9])?$", var.deployment_id))
    error_message = "deployment_id must be empty or up to 63 lower-case letters, digits and hyphens (a task id or 16 hex characters)."
  }
}

variable "kubeconfig_bearer_token" {
  type        = string
  sensitive   = true
  default     = ""
  description = "Single-use bearer token for the kubeconfig PUT-back (64 hex characters). Passed only through the environment."

  validation {
    condition     = var.kubeconfig_bearer_token == "" || can(regex("^[0-9a-f]{64}$", var.kubeconfig_bearer_token))
    error_message = "kubeconfig_bearer_token must be empty or 64 lower-case hex characters."
  }
}

variable "catalyst_api_url" {
  type        = string
  default     = ""
  description = "Origin the control plane PUTs its kubeconfig back to; empty disables the PUT-back."

  validation {
    condition     = var.catalyst_api_url == "" || can(regex("^https?://[^\\s/]+(/[^\\s]*)?$", var.catalyst_api_url))
    error_message = "catalyst_api_url must be empty or an http(s) URL."
  }
}

variable "gitops_repo_url" {
  type        = string
  description = "Git repository Flux watches."

  validation {
    condition     = can(regex("^(https?|ssh|file)://\\S+$", var.gitops_repo_url))
    error_message = "gitops_repo_url must be an https://, http://, ssh:// or file:// URL."
  }
}

variable "gitops_branch" {
  type        = string
  default     = "main"
  description = "Branch Flux watches."

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.gitops_branch)) && !strcontains(var.gitops_branch, "..")
    error_message = "gitops_branch must be a git branch name."
  }
}

variable "gitops_path" {
  type        = string
  default     = ""
  description = "Folder of the Sovereign's overlay inside the repository; empty means clusters/<sovereign_fqdn>."

  validation {
    condition     = var.gitops_path == "" || (can(regex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", var.gitops_path)) && !strcontains(var.gitops_path, ".."))
    error_message = "gitops_path must be a relative folder such as clusters/omantel.omani.works, without '..'."
  }
}

variable "ssh_allowed_cidrs" {
  type        = list(string)
  default     = []
  description = "Sources allowed to reach port 22; empty closes SSH."

  validation {
    condition     = alltrue([for c in var.ssh_allowed_cidrs : can(cidrnetmask(c)) || can(cidrhost(c, 0))])
    error_message = "ssh_allowed_cidrs must contain CIDR blocks such as 203.0.113.0/24."
  }
}

variable "enable_unattended_upgrades" {
  type        = bool
  default     = true
  description = "Install unattended-upgrades (security origins, daily, reboot at 02:30)."
}

variable "enable_fail2ban" {
  type        = bool
  default     = true
  description = "Install fail2ban with an sshd jail."
}
