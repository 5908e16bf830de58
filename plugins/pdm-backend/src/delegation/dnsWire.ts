import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { randomInt } from 'node:crypto';

/**
 * One non-recursive NS query over UDP. node:dns only reads the answer section, but a parent's
 * authoritative server answers a delegation with a referral (NS in the authority section), so the
 * referral is read here from the raw message.
 */
export async function queryNsRecords(
  server: { address: string; port: number },
  name: string,
  timeoutMs: number,
): Promise<string[]> {
  const id = randomInt(0, 0x10000);
  const query = encodeQuery(id, name, 2 /* NS */);
  const socket = createSocket(isIPv6(server.address) ? 'udp6' : 'udp4');
  try {
    const response = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.on('error', error => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on('message', message => {
        if (message.length >= 2 && message.readUInt16BE(0) === id) {
          clearTimeout(timer);
          resolve(message);
        }
      });
      socket.send(query, server.port, server.address);
    });
    return parseNsRecords(response, name);
  } finally {
    socket.close();
  }
}

export function encodeQuery(id: number, name: string, type: number): Buffer {
  const labels = name.replace(/\.$/, '').split('.');
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0000, 2); // standard query, RD=0
  header.writeUInt16BE(1, 4); // QDCOUNT
  parts.push(header);
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(type, 1);
  tail.writeUInt16BE(1, 3); // IN
  parts.push(tail);
  return Buffer.concat(parts);
}

function readName(
  message: Buffer,
  start: number,
): { name: string; next: number } {
  const labels: string[] = [];
  let offset = start;
  let next = -1;
  for (let jumps = 0; jumps < 64; jumps++) {
    const length = message.readUInt8(offset);
    if (length === 0) {
      return { name: labels.join('.'), next: next < 0 ? offset + 1 : next };
    }
    if ((length & 0xc0) === 0xc0) {
      if (next < 0) next = offset + 2;
      offset = ((length & 0x3f) << 8) | message.readUInt8(offset + 1);
      continue;
    }
    labels.push(message.toString('ascii', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  throw new Error('malformed DNS name');
}

/** NS targets owned by `name` in the answer and authority sections, lower-cased, without the dot. */
export function parseNsRecords(message: Buffer, name: string): string[] {
  const wanted = name.replace(/\.$/, '').toLowerCase();
  const rcode = message.readUInt16BE(2) & 0x0f;
  if (rcode === 3) return [];
  if (rcode !== 0) throw new Error(`DNS error code ${rcode}`);
  const qd = message.readUInt16BE(4);
  const rrCount = message.readUInt16BE(6) + message.readUInt16BE(8);
  let offset = 12;
  for (let i = 0; i < qd; i++) offset = readName(message, offset).next + 4;
  const result = new Set<string>();
  for (let i = 0; i < rrCount; i++) {
    const owner = readName(message, offset);
    offset = owner.next;
    const type = message.readUInt16BE(offset);
    const rdLength = message.readUInt16BE(offset + 8);
    const rdata = offset + 10;
    if (type === 2 && owner.name.toLowerCase() === wanted) {
      result.add(readName(message, rdata).name.toLowerCase());
    }
    offset = rdata + rdLength;
  }
  return [...result].sort();
}
