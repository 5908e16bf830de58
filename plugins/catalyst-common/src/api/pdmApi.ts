import { z } from 'zod/v3';
import { DOMAIN_MODES } from '../wizard/requestVocabulary';

/**
 * The pool-domain-manager HTTP API (`/api/pdm`): the wire shapes the wizard, the scaffolder actions and the
 * tests share. The routes, their callers and their error bodies are described in docs/api-contracts.md.
 */

/**
 * The public DNS-01 facts of a Sovereign zone (docs/tls.md): where its certificate issuer sends RFC 2136
 * updates and under which TSIG key name. Never the key's secret.
 */
export const dns01SetupSchema = z.object({
  zone: z.string(),
  nameserver: z.string(),
  keyName: z.string(),
  algorithm: z.string(),
});

/**
 * How a Sovereign gets its certificates, as catalyst:overlay:render reports it and the register step records it:
 * the issuer, the ACME server, the names and the DNS-01 setup (public facts only).
 */
export const sovereignTlsSetupSchema = z.object({
  issuer: z.string(),
  acmeServer: z.string(),
  dnsNames: z.array(z.string()),
  certificateSecret: z.string(),
  dns01: dns01SetupSchema,
});

/** A type alias, not an interface, so that a scaffolder checkpoint can keep it as a JSON value. */
export type Dns01Setup = {
  zone: string;
  nameserver: string;
  keyName: string;
  algorithm: string;
};

/** The DNS-01 key with its secret; only ever handed to the provisioning run's environment. */
export interface Dns01Key extends Dns01Setup {
  secret: string;
}

/** The domain part of a validated Sovereign request, as the PDM actions take it. */
export const domainSelectionSchema = z.object({
  mode: z.enum(DOMAIN_MODES),
  poolDomain: z.string().optional(),
  subdomain: z.string().optional(),
  byoDomain: z.string().optional(),
  registrar: z.string().optional(),
});
export type DomainSelection = z.infer<typeof domainSelectionSchema>;

/** A DNS record PDM wrote for a Sovereign; the owner name is canonical, with a trailing dot. */
export const dnsRecordSchema = z.object({
  name: z.string(),
  type: z.string(),
  ttl: z.number().optional(),
  content: z.string(),
});

/** The records PDM reports after a commit: always with their TTL. A type alias so a checkpoint can keep it. */
export type PublishedDnsRecord = {
  name: string;
  type: string;
  ttl: number;
  content: string;
};

/**
 * `GET /api/pdm/v1/check`: whether a name is free. An unavailable answer names the `fqdn` it checked, as PDM's
 * reference-compatible body always has (docs/api-contracts.md).
 */
export interface SubdomainCheck {
  available: boolean;
  reason?: string;
  detail?: string;
  fqdn?: string;
}

/**
 * The reference-compatible error body of PDM (`{error, detail}`): `error` is a machine-readable code, `detail` a
 * sentence; registrar failures add the `registrar` and the `domain` they concern.
 */
export interface PdmErrorBody {
  error: string;
  detail?: string;
  registrar?: string;
  domain?: string;
  [key: string]: unknown;
}
