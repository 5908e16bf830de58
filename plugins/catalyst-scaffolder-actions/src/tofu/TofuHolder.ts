import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Who runs a tofu command: written by the runner next to the state it locks, so that after a crash the next
 * attempt can tell a dead holder's lock from a live one.
 *
 * `replica` names the backend process: `<host hash>-<pid>-<random>`; it also travels to PostgreSQL as the
 * session's application_name (`catalyst-tofu/<replica>`), which is all the pg backend's advisory lock tells
 * about its holder.
 */
export interface TofuHolder {
  replica: string;
  /** The tofu process (leader of its own process group). */
  tofuPid: number;
  command: string;
  startedAt: string;
}

export const HOLDER_FILE_PREFIX = '.catalyst-tofu-holder-';
export const APPLICATION_NAME_PREFIX = 'catalyst-tofu/';

const HOST_HASH = crypto
  .createHash('sha256')
  .update(os.hostname())
  .digest('hex')
  .slice(0, 8);

/** This backend process. */
export const THIS_REPLICA = `${HOST_HASH}-${process.pid}-${crypto
  .randomBytes(3)
  .toString('hex')}`;

/** Answers whether the backend process named by a replica id is still running. */
export type ReplicaLiveness = (replica: string) => Promise<boolean>;

let remoteLiveness: ReplicaLiveness | undefined;

/**
 * Installs how replicas on other hosts are checked (the backend's replica heartbeats). Without it a holder on
 * another host always counts as alive: its lock is never touched.
 */
export function setRemoteReplicaLiveness(
  liveness: ReplicaLiveness | undefined,
) {
  remoteLiveness = liveness;
}

export function parseReplica(
  replica: string,
): { hostHash: string; pid: number } | undefined {
  const match = /^([0-9a-f]{8})-(\d+)-[0-9a-f]+$/.exec(replica);
  return match ? { hostHash: match[1], pid: Number(match[2]) } : undefined;
}

/** Signal 0: the process exists (EPERM = it exists, but belongs to someone else). */
export function processAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the backend process behind a replica id runs: pid check on this host, heartbeats elsewhere. */
export async function replicaAlive(replica: string): Promise<boolean> {
  if (replica === THIS_REPLICA) return true;
  const parsed = parseReplica(replica);
  if (!parsed) return true;
  if (parsed.hostHash === HOST_HASH) return processAlive(parsed.pid);
  return remoteLiveness ? remoteLiveness(replica) : true;
}

/** Whether the holder's tofu process runs on this host (its replica was on this host and the pid is a tofu). */
export async function tofuProcessAlive(
  holder: TofuHolder,
  binary: string,
): Promise<boolean> {
  const parsed = parseReplica(holder.replica);
  if (!parsed || parsed.hostHash !== HOST_HASH) return false;
  if (!processAlive(holder.tofuPid)) return false;
  try {
    const cmdline = await fs.readFile(
      `/proc/${holder.tofuPid}/cmdline`,
      'utf8',
    );
    return cmdline.split('\0')[0].endsWith(path.basename(binary));
  } catch {
    // No /proc: trust the pid.
    return true;
  }
}

const holderFile = (dir: string, tofuPid: number) =>
  path.join(dir, `${HOLDER_FILE_PREFIX}${tofuPid}.json`);

/** One record per running command, named after its pid, so a new attempt never overwrites its predecessor's. */
export async function writeHolder(dir: string, holder: TofuHolder) {
  await fs.writeFile(holderFile(dir, holder.tofuPid), JSON.stringify(holder), {
    mode: 0o600,
  });
}

/** The records of the commands started in this workdir that have not cleaned up after themselves. */
export async function readHolders(dir: string): Promise<TofuHolder[]> {
  const holders: TofuHolder[] = [];
  for (const name of await fs.readdir(dir)) {
    if (!name.startsWith(HOLDER_FILE_PREFIX)) continue;
    try {
      holders.push(JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')));
    } catch {
      // Half-written by a process that died: not a holder of anything.
    }
  }
  return holders;
}

export async function clearHolder(dir: string, tofuPid: number | undefined) {
  if (tofuPid) await fs.rm(holderFile(dir, tofuPid), { force: true });
}
