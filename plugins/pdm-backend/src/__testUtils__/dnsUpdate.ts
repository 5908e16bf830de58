/**
 * RFC 2136 updates with Debian's nsupdate (package dnsutils), signed with a TSIG key or unsigned, against the
 * test PowerDNS. The key goes through a key file of mode 0600, never the command line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TsigKey } from '../dns01/testing';

export type UpdateKey = TsigKey;

export interface UpdateResult {
  ok: boolean;
  /** nsupdate's own words, e.g. "update failed: REFUSED". */
  output: string;
}

/** Adds (or with `remove`, deletes) one TXT record in `zone` through DNS UPDATE. */
export async function dnsUpdate(options: {
  dnsPort: number;
  zone: string;
  name: string;
  txt: string;
  key?: UpdateKey;
  remove?: boolean;
}): Promise<UpdateResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pdm-nsupdate-'));
  try {
    const args: string[] = [];
    if (options.key) {
      const keyFile = join(dir, 'tsig.key');
      writeFileSync(
        keyFile,
        `key "${options.key.keyName}" {\n  algorithm ${options.key.algorithm};\n  secret "${options.key.secret}";\n};\n`,
        { mode: 0o600 },
      );
      args.push('-k', keyFile);
    }
    const script = [
      `server 127.0.0.1 ${options.dnsPort}`,
      `zone ${options.zone}`,
      options.remove
        ? `update delete ${options.name}. TXT "${options.txt}"`
        : `update add ${options.name}. 60 TXT "${options.txt}"`,
      'send',
      '',
    ].join('\n');
    return await new Promise(resolve => {
      const child = execFile(
        'nsupdate',
        ['-t', '5', ...args],
        (error, stdout, stderr) =>
          resolve({
            ok: !error,
            output: `${stdout}${stderr}`.trim(),
          }),
      );
      child.stdin!.end(script);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
