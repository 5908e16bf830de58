import sshpk from 'sshpk';

export type GeneratedSshKey = {
  /** One OpenSSH line: `ssh-ed25519 AAAA… catalyst@<fqdn>`. */
  publicKey: string;
  /** Unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`, cipher and kdf `none`). */
  privateKey: string;
  /** `SHA256:` + unpadded base64, as `ssh-keygen -l` prints it. */
  fingerprint: string;
};

export type SshPublicKeyCheck = {
  valid: boolean;
  type: string | null;
  bits: number | null;
  fingerprint: string | null;
  message?: string;
};

const MIN_RSA_BITS = 2048;
const ECDSA_CURVES: Record<string, number> = {
  nistp256: 256,
  nistp384: 384,
  nistp521: 521,
};

/**
 * SSH key handling for the break-glass key of a Sovereign. Nothing here is persisted: a generated private key
 * exists only in the response that carries it to the browser.
 */
export class SshKeyService {
  generate(fqdn?: string): GeneratedSshKey {
    const comment = fqdn ? `catalyst@${fqdn}` : 'catalyst';
    // sshpk draws the Ed25519 seed from crypto.randomBytes (a CSPRNG).
    const key = sshpk.generatePrivateKey('ed25519');
    key.comment = comment;
    const publicKey = key.toPublic();
    publicKey.comment = comment;
    return {
      publicKey: publicKey.toString('ssh').trim(),
      privateKey: key.toString('openssh'),
      fingerprint: publicKey.fingerprint('sha256').toString(),
    };
  }

  check(line: string): SshPublicKeyCheck {
    const trimmed = line.trim();
    const invalid = (message: string): SshPublicKeyCheck => ({
      valid: false,
      type: null,
      bits: null,
      fingerprint: null,
      message,
    });
    if (!trimmed) return invalid('The public key is empty');
    if (/PRIVATE KEY/.test(trimmed)) {
      return invalid(
        'This is a private key. Paste the public key (the .pub file) instead',
      );
    }
    if (/[\r\n]/.test(trimmed)) {
      return invalid('Paste exactly one OpenSSH public key line');
    }
    let key: sshpk.Key;
    try {
      key = sshpk.parseKey(trimmed, 'ssh');
    } catch {
      return invalid(
        'Not a valid OpenSSH public key line (expected e.g. "ssh-ed25519 AAAA… comment")',
      );
    }
    const found = {
      type: key.type,
      bits: key.size,
      fingerprint: key.fingerprint('sha256').toString(),
    };
    switch (key.type) {
      case 'ed25519':
        return { valid: true, ...found };
      case 'rsa':
        return key.size >= MIN_RSA_BITS
          ? { valid: true, ...found }
          : {
              valid: false,
              ...found,
              message: `RSA keys need at least ${MIN_RSA_BITS} bits; this one has ${key.size}`,
            };
      case 'ecdsa': {
        const bits = key.curve ? ECDSA_CURVES[key.curve] : undefined;
        return bits
          ? { valid: true, ...found, bits }
          : {
              valid: false,
              ...found,
              message: `ECDSA curve ${key.curve} is not supported; use nistp256, nistp384 or nistp521`,
            };
      }
      default:
        return {
          valid: false,
          ...found,
          message: `Key type ${key.type} is not accepted; use ed25519, rsa (>= ${MIN_RSA_BITS} bits) or ecdsa`,
        };
    }
  }
}
