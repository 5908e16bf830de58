import { sha256 } from './sha256';

/**
 * The one SSH public key rule shared by the wizard, the validate action and (by contract) the tofu module:
 * RSA of at least 2048 bits, Ed25519, or ECDSA on nistp256/384/521. The key data is decoded from the OpenSSH
 * wire format, so the type written in the text must match the type inside the key.
 */

export const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
] as const;
export type SshKeyType = (typeof SSH_KEY_TYPES)[number];

export const SSH_RSA_MIN_BITS = 2048;

export type SshPublicKeyCheck =
  | { ok: true; type: SshKeyType; bits: number; fingerprint?: string }
  | { ok: false; message: string };

const ECDSA_CURVES: Record<string, { bits: number; pointLength: number }> = {
  nistp256: { bits: 256, pointLength: 65 },
  nistp384: { bits: 384, pointLength: 97 },
  nistp521: { bits: 521, pointLength: 133 },
};

class WireReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** Reads one SSH `string` (uint32 length + bytes); undefined when the data ends early. */
  next(): Uint8Array | undefined {
    if (this.offset + 4 > this.bytes.length) return undefined;
    const b = this.bytes;
    const o = this.offset;
    const length =
      ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
    if (o + 4 + length > b.length) return undefined;
    this.offset = o + 4 + length;
    return b.subarray(o + 4, o + 4 + length);
  }

  get done(): boolean {
    return this.offset === this.bytes.length;
  }
}

const ascii = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/** Bit length of an SSH mpint (big-endian, possibly with a leading zero byte). */
function mpintBits(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    return undefined;
  }
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

/** `SHA256:` + unpadded base64 of the key blob, as `ssh-keygen -l` prints it. */
export function sshFingerprint(blob: Uint8Array): string {
  const digest = sha256(blob);
  return `SHA256:${btoa(String.fromCharCode(...digest)).replace(/=+$/, '')}`;
}

const fail = (message: string): SshPublicKeyCheck => ({ ok: false, message });

/** Checks one OpenSSH public key line (`<type> <base64> [comment]`). */
export function checkSshPublicKey(line: string): SshPublicKeyCheck {
  const text = (line ?? '').trim();
  if (text.length === 0) return fail('is required');
  if (/[\r\n]/.test(text)) {
    return fail('must be a single line (paste one public key)');
  }
  if (text.startsWith('-----BEGIN')) {
    return fail(
      'looks like a private key or a PEM file; paste the public key line (ssh-ed25519 AAAA… or ssh-rsa AAAA…)',
    );
  }
  const [type, data] = text.split(/\s+/);
  if (type === 'ssh-dss') {
    return fail(
      'DSA keys are not accepted; use Ed25519, RSA (2048+ bits) or ECDSA',
    );
  }
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) {
    return fail(
      `key type "${type.slice(
        0,
        40,
      )}" is not supported; use ${SSH_KEY_TYPES.join(', ')}`,
    );
  }
  if (!data) return fail(`has no key data after "${type}"`);
  const blob = decodeBase64(data);
  if (!blob) return fail('key data is not valid base64');

  const reader = new WireReader(blob);
  const innerTypeBytes = reader.next();
  if (!innerTypeBytes) return fail('key data is truncated');
  const innerType = ascii(innerTypeBytes);
  if (innerType !== type) {
    return fail(
      `key type in the text (${type}) does not match the key data (${innerType.slice(
        0,
        40,
      )})`,
    );
  }

  let bits: number;
  if (type === 'ssh-rsa') {
    const e = reader.next();
    const n = reader.next();
    if (!e || !n) return fail('RSA key data is truncated');
    bits = mpintBits(n);
    if (bits < SSH_RSA_MIN_BITS) {
      return fail(
        `RSA key is ${bits} bits; at least ${SSH_RSA_MIN_BITS} are required`,
      );
    }
  } else if (type === 'ssh-ed25519') {
    const key = reader.next();
    if (!key) return fail('Ed25519 key data is truncated');
    if (key.length !== 32) {
      return fail(`Ed25519 key is ${key.length} bytes; it must be 32`);
    }
    bits = 256;
  } else {
    const curveName = reader.next();
    const point = reader.next();
    if (!curveName || !point) return fail('ECDSA key data is truncated');
    const expectedCurve = type.slice('ecdsa-sha2-'.length);
    const curve = ascii(curveName);
    if (curve !== expectedCurve) {
      return fail(
        `ECDSA curve in the key data (${curve.slice(
          0,
          20,
        )}) does not match the key type (${type})`,
      );
    }
    const { bits: curveBits, pointLength } = ECDSA_CURVES[curve];
    if (point.length !== pointLength || point[0] !== 0x04) {
      return fail(
        `ECDSA ${curve} point must be ${pointLength} bytes, uncompressed`,
      );
    }
    bits = curveBits;
  }
  if (!reader.done) return fail('key data has trailing bytes');
  return {
    ok: true,
    type: type as SshKeyType,
    bits,
    fingerprint: sshFingerprint(blob),
  };
}
