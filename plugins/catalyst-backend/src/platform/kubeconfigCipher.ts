import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for kubeconfigs at rest. The 256-bit key is derived from the configured secret
 * (`catalyst.platform.kubeconfigKey`); the Sovereign's name is bound as additional authenticated data, so a
 * ciphertext copied onto another Sovereign's row does not decrypt.
 */
export class KubeconfigCipher {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256')
      .update('catalyst-kubeconfig-v1\0')
      .update(secret)
      .digest();
  }

  encrypt(sovereignName: string, plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(sovereignName, 'utf8'));
    const body = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
    ]);
    const tag = cipher.getAuthTag();
    return `${VERSION}:${Buffer.concat([iv, tag, body]).toString('base64')}`;
  }

  decrypt(sovereignName: string, stored: string): string {
    const [version, payload] = stored.split(':', 2);
    if (version !== VERSION || !payload) {
      throw new Error('Unknown kubeconfig ciphertext format');
    }
    const raw = Buffer.from(payload, 'base64');
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const body = raw.subarray(IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(sovereignName, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString(
      'utf8',
    );
  }
}

/** A fresh handoff secret: 32 random bytes as 64 lower-case hex characters (what the tofu variable accepts). */
export function mintHandoffSecret(): string {
  return randomBytes(32).toString('hex');
}

export function hashHandoffSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two SHA-256 hex digests in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}
