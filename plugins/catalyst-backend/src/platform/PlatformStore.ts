import { DatabaseService } from '@backstage/backend-plugin-api';
import { SovereignReadiness } from '@catalyst/plugin-catalyst-common';
import { Knex } from 'knex';
import {
  KubeconfigCipher,
  hashHandoffSecret,
  mintHandoffSecret,
  sameHash,
} from './kubeconfigCipher';

const TOKENS = 'catalyst_sovereign_kubeconfig_tokens';
const KUBECONFIGS = 'catalyst_sovereign_kubeconfigs';
const READINESS = 'catalyst_sovereign_readiness';

type TokenRow = {
  id: number;
  sovereign_name: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
};

/** Why a handoff was refused; the router maps `unauthorized` to 401 and `used` to 409. */
export type HandoffOutcome =
  | { ok: true; receivedAt: string }
  | { ok: false; refusal: 'unauthorized' | 'expired' | 'used' };

/**
 * Phase 1 persistence (tables in migrations/20261203100000_sovereign_platform.js): handoff secrets (hashes only),
 * the encrypted kubeconfig, and the platform's readiness. The tables live in the plugin database next to the
 * registry, whose migrations SovereignStore.create runs.
 */
export class PlatformStore {
  static async create(
    database: DatabaseService,
    options: { cipher: KubeconfigCipher; now?: () => Date },
  ): Promise<PlatformStore> {
    return new PlatformStore(
      await database.getClient(),
      options.cipher,
      options.now ?? (() => new Date()),
    );
  }

  private constructor(
    private readonly db: Knex,
    private readonly cipher: KubeconfigCipher,
    private readonly now: () => Date,
  ) {}

  /**
   * Mints a single-use secret for the Sovereign's cluster and keeps only its hash. Earlier unused secrets stay
   * valid until they expire, so a retried provisioning run does not lock out a node that booted with an earlier
   * one; the first successful handoff uses them all up.
   */
  async mintHandoffSecret(
    name: string,
    ttlMs: number,
  ): Promise<{ secret: string; expiresAt: string }> {
    const secret = mintHandoffSecret();
    const now = this.now();
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    await this.db<TokenRow>(TOKENS).insert({
      sovereign_name: name,
      token_hash: hashHandoffSecret(secret),
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
    });
    return { secret, expiresAt };
  }

  /**
   * Checks the presented secret without using it up: every stored hash of the Sovereign is compared in constant
   * time. Answers the matching row's state.
   */
  async checkHandoffSecret(
    name: string,
    presented: string,
  ): Promise<HandoffOutcome | { ok: true; tokenId: number }> {
    const presentedHash = hashHandoffSecret(presented);
    const rows = await this.db<TokenRow>(TOKENS).where({
      sovereign_name: name,
    });
    let match: TokenRow | undefined;
    for (const row of rows) {
      // Every row is compared, so the time taken does not tell which one matched.
      if (sameHash(row.token_hash, presentedHash) && !match) match = row;
    }
    if (!match) return { ok: false, refusal: 'unauthorized' };
    if (match.used_at || (await this.hasKubeconfig(name))) {
      return { ok: false, refusal: 'used' };
    }
    if (Date.parse(match.expires_at) <= this.now().getTime()) {
      return { ok: false, refusal: 'expired' };
    }
    return { ok: true, tokenId: Number(match.id) };
  }

  /**
   * Uses the secret up and stores the kubeconfig encrypted, in one transaction: of two concurrent handoffs with
   * the same secret exactly one succeeds, the other is refused as `used`.
   */
  async completeHandoff(
    name: string,
    tokenId: number,
    kubeconfig: string,
  ): Promise<HandoffOutcome> {
    const receivedAt = this.now().toISOString();
    return this.db.transaction(async tx => {
      const claimed = await tx<TokenRow>(TOKENS)
        .where({ id: tokenId, sovereign_name: name })
        .whereNull('used_at')
        .update({ used_at: receivedAt });
      if (claimed !== 1) return { ok: false, refusal: 'used' } as const;
      const existing = await tx(KUBECONFIGS)
        .where({ sovereign_name: name })
        .first();
      if (existing) return { ok: false, refusal: 'used' } as const;
      await tx(KUBECONFIGS).insert({
        sovereign_name: name,
        ciphertext: this.cipher.encrypt(name, kubeconfig),
        received_at: receivedAt,
      });
      // The first handoff uses up every other secret of this Sovereign as well.
      await tx<TokenRow>(TOKENS)
        .where({ sovereign_name: name })
        .whereNull('used_at')
        .update({ used_at: receivedAt });
      return { ok: true, receivedAt } as const;
    });
  }

  async hasKubeconfig(name: string): Promise<boolean> {
    return !!(await this.db(KUBECONFIGS)
      .where({ sovereign_name: name })
      .first());
  }

  async kubeconfigReceivedAt(name: string): Promise<string | undefined> {
    const row = await this.db(KUBECONFIGS)
      .where({ sovereign_name: name })
      .first('received_at');
    return row?.received_at;
  }

  /** The decrypted kubeconfig, or undefined when the cluster has not handed it back. */
  async getKubeconfig(name: string): Promise<string | undefined> {
    const row = await this.db(KUBECONFIGS)
      .where({ sovereign_name: name })
      .first('ciphertext');
    return row ? this.cipher.decrypt(name, row.ciphertext) : undefined;
  }

  async getReadiness(name: string): Promise<SovereignReadiness | undefined> {
    const row = await this.db(READINESS)
      .where({ sovereign_name: name })
      .first('body');
    return row ? (JSON.parse(row.body) as SovereignReadiness) : undefined;
  }

  async setReadiness(name: string, readiness: SovereignReadiness) {
    const row = {
      sovereign_name: name,
      body: JSON.stringify(readiness),
      updated_at: this.now().toISOString(),
    };
    await this.db(READINESS)
      .insert(row)
      .onConflict('sovereign_name')
      .merge(['body', 'updated_at']);
  }

  /** What the registry's GET adds to a record: readiness and when the kubeconfig arrived (never the kubeconfig). */
  async describe(name: string): Promise<{
    readiness?: SovereignReadiness;
    kubeconfigReceivedAt?: string;
  }> {
    const [readiness, kubeconfigReceivedAt] = await Promise.all([
      this.getReadiness(name),
      this.kubeconfigReceivedAt(name),
    ]);
    return {
      ...(readiness ? { readiness } : {}),
      ...(kubeconfigReceivedAt ? { kubeconfigReceivedAt } : {}),
    };
  }

  /** Removes everything Phase 1 kept about a Sovereign (when it leaves the registry). */
  async forget(name: string) {
    await this.db.transaction(async tx => {
      await tx(TOKENS).where({ sovereign_name: name }).delete();
      await tx(KUBECONFIGS).where({ sovereign_name: name }).delete();
      await tx(READINESS).where({ sovereign_name: name }).delete();
    });
  }
}
