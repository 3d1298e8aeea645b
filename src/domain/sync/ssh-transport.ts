import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { AppError } from '../../common/errors.ts';
import { hostKeyAlgorithms, verifyHostKey, type KnownHost } from './known-hosts.ts';
import { cappedMd5 } from './capped-md5.ts';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** A private key (PEM/OpenSSH) or, failing that, a password. */
  privateKey?: Buffer;
  password?: string;
}

export interface SshTimeouts {
  /** TCP connect plus handshake and authentication. */
  connectMs: number;
  /** One SFTP request (listing, stat, rename, …). */
  operationMs: number;
  /** One whole file transfer. */
  transferMs: number;
}

/** A file in a remote save folder. */
export interface RemoteFile {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/**
 * An SFTP session to a push-pull device. The host key must be in known_hosts (no trust on first use); every request
 * and transfer has a deadline; downloads stop at the size limit.
 */
export class SshTransport {
  private constructor(private readonly client: Client, private readonly sftp: SFTPWrapper, private readonly timeouts: SshTimeouts) {}

  static connect(target: SshTarget, knownHosts: readonly KnownHost[], timeouts: SshTimeouts): Promise<SshTransport> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      let refusal: string | null = null;
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        client.end();
        reject(refusal ? new AppError(400, refusal) : new Error(`SSH connection to ${target.host}:${target.port} failed: ${err instanceof Error ? err.message : String(err)}`));
      };
      const deadline = setTimeout(() => fail(new Error('timed out')), timeouts.connectMs + 1_000);
      client.on('error', fail);
      client.on('close', () => fail(new Error('connection closed')));
      client.on('ready', () => {
        client.sftp((err, sftp) => {
          clearTimeout(deadline);
          if (err) {
            fail(err);
            return;
          }
          if (settled) return;
          settled = true;
          resolve(new SshTransport(client, sftp, timeouts));
        });
      });
      const algorithms = hostKeyAlgorithms(knownHosts, target.host, target.port);
      const config: ConnectConfig = {
        host: target.host,
        port: target.port,
        username: target.username,
        readyTimeout: timeouts.connectMs,
        hostVerifier: (key: Buffer) => {
          const verdict = verifyHostKey(knownHosts, target.host, target.port, key);
          if (!verdict.ok) refusal = verdict.reason;
          return verdict.ok;
        },
        ...(algorithms.length > 0 ? { algorithms: { serverHostKey: algorithms as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] } } : {}),
        ...(target.privateKey ? { privateKey: target.privateKey } : { password: target.password }),
        // Never an agent or keyboard-interactive prompt on the server's side.
        tryKeyboard: false,
      };
      try {
        client.connect(config);
      } catch (err) {
        clearTimeout(deadline);
        fail(err);
      }
    });
  }

  close(): void {
    this.client.end();
  }

  /** Regular files of a remote folder (optionally by extension), at most `max`; null when the folder is missing. */
  async list(dir: string, extension: string, max: number): Promise<RemoteFile[] | null> {
    const entries = await this.op<{ filename: string; attrs: { mode: number; size: number; mtime: number } }[] | null>((done) => {
      this.sftp.readdir(dir, (err, list) => {
        if (err && (err as Error & { code?: number }).code === 2) done(null, null);
        else done(err ?? null, list);
      });
    }, `listing ${dir}`);
    if (entries === null) return null;
    const base = dir.replace(/\/+$/, '') || '/';
    return entries
      .filter((e) => (e.attrs.mode & S_IFMT) === S_IFREG && (!extension || e.filename.endsWith(extension)))
      .sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0))
      .slice(0, max)
      .map((e) => ({ path: `${base === '/' ? '' : base}/${e.filename}`, name: e.filename, size: e.attrs.size, mtimeMs: e.attrs.mtime * 1000 }));
  }

  /** Copies a remote file to `local`, refusing more than `maxBytes` (0: no limit); its size and MD5. */
  async download(remote: string, local: string, maxBytes: number): Promise<{ size: number; md5: string }> {
    const counter = cappedMd5(maxBytes);
    await this.transfer(pipeline(this.sftp.createReadStream(remote), counter.stream, createWriteStream(local, { flags: 'wx', mode: 0o600 })), `downloading ${remote}`);
    return { size: counter.size(), md5: counter.md5() };
  }

  /** Writes `local` to `remote` through a temporary file beside it, renamed over the target once complete. */
  async upload(local: string, remote: string): Promise<void> {
    const slash = remote.lastIndexOf('/');
    const dir = slash > 0 ? remote.slice(0, slash) : '/';
    await this.op<void>((done) => this.sftp.mkdir(dir, () => done(null)), `creating ${dir}`);
    const temp = `${dir === '/' ? '' : dir}/.romshelf-${randomUUID()}.tmp`;
    try {
      await this.transfer(pipeline(createReadStream(local), this.sftp.createWriteStream(temp)), `uploading ${remote}`);
      await this.replace(temp, remote);
    } catch (err) {
      await this.op<void>((done) => this.sftp.unlink(temp, () => done(null)), `removing ${temp}`).catch(() => undefined);
      throw err;
    }
  }

  /** An atomic rename over the target where the server offers it (OpenSSH's posix-rename), else remove then rename. */
  private async replace(from: string, to: string): Promise<void> {
    try {
      await this.op<void>((done) => this.sftp.ext_openssh_rename(from, to, (err) => done(err ?? null)), `renaming to ${to}`);
      return;
    } catch (err) {
      if (!/not support/i.test((err as Error).message)) throw err;
    }
    await this.op<void>((done) => this.sftp.unlink(to, () => done(null)), `replacing ${to}`);
    await this.op<void>((done) => this.sftp.rename(from, to, (err) => done(err ?? null)), `renaming to ${to}`);
  }

  private op<T>(start: (done: (err: Error | null, value?: T) => void) => void, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`SSH request timed out: ${what}`));
        this.client.end();
      }, this.timeouts.operationMs);
      try {
        start((err, value) => {
          clearTimeout(timer);
          if (err) reject(err);
          else resolve(value as T);
        });
      } catch (err) {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private async transfer(work: Promise<void>, what: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`SSH transfer timed out: ${what}`));
        this.client.end();
      }, this.timeouts.transferMs);
    });
    // The loser of the race still settles later: its rejection is expected, never unhandled.
    work.catch(() => undefined);
    deadline.catch(() => undefined);
    try {
      await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
