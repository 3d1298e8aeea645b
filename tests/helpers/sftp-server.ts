import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, readdirSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Server, utils, type Connection } from 'ssh2';

const { STATUS_CODE, OPEN_MODE } = utils.sftp;

export interface KeyPair { private: string; public: string }

/** An OpenSSH key pair (ssh2's generator), e.g. `ed25519`. */
/** ssh2 now and then generates an ed25519 pair its own parser rejects ("Malformed OpenSSH public key"): draw again. */
export function keyPair(): KeyPair {
  for (let i = 0; ; i++) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.public) instanceof Error) && !(utils.parseKey(pair.private) instanceof Error)) return pair;
    if (i >= 20) throw new Error('no parseable ed25519 key pair in 20 tries');
  }
}

export interface TestSftpServer {
  port: number;
  /** `[127.0.0.1]:<port> <type> <base64>`: the line a known_hosts file needs for this server. */
  knownHostsLine: string;
  /** Connections accepted so far (authenticated). */
  sessions: number;
  close(): Promise<void>;
}

function attrsOf(st: Stats) {
  return { mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000) };
}

/**
 * An in-process SSH server with an SFTP subsystem serving `root` (remote `/x` is `<root>/x`), accepting only
 * `clientPublicKey`. Enough of SFTP for listing, reading, writing, renaming and removing files.
 */
export async function startSftpServer(root: string, clientPublicKey: string, hostKey: KeyPair = keyPair()): Promise<TestSftpServer> {
  const allowed = utils.parseKey(clientPublicKey);
  if (allowed instanceof Error) throw allowed;
  const local = (p: string) => {
    const full = path.resolve(root, `.${path.posix.resolve('/', p)}`);
    if (full !== root && !full.startsWith(`${root}${path.sep}`)) throw new Error('outside root');
    return full;
  };
  const state = { sessions: 0 };
  const clients = new Set<Connection>();
  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || ctx.key.algo !== allowed.type || !ctx.key.data.equals(allowed.getPublicSSH())) {
        ctx.reject(['publickey']);
        return;
      }
      if (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
        ctx.reject(['publickey']);
        return;
      }
      ctx.accept();
    });
    client.on('ready', () => {
      state.sessions++;
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          const files = new Map<number, { fd: number }>();
          const dirs = new Map<number, { entries: string[] | null; dir: string }>();
          let next = 1;
          const handle = (n: number) => {
            const b = Buffer.alloc(4);
            b.writeUInt32BE(n);
            return b;
          };
          const num = (b: Buffer) => (b.length === 4 ? b.readUInt32BE(0) : -1);
          const fail = (reqid: number, err: unknown) => {
            const code = (err as NodeJS.ErrnoException).code;
            sftp.status(reqid, code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : STATUS_CODE.FAILURE);
          };
          sftp.on('OPEN', (reqid, filename, flags) => {
            try {
              let mode = 'r';
              if (flags & OPEN_MODE.WRITE) mode = flags & OPEN_MODE.TRUNC || flags & OPEN_MODE.CREAT ? 'w' : 'r+';
              const fd = openSync(local(filename), mode);
              const h = next++;
              files.set(h, { fd });
              sftp.handle(reqid, handle(h));
            } catch (err) {
              fail(reqid, err);
            }
          });
          sftp.on('READ', (reqid, h, offset, length) => {
            const f = files.get(num(h));
            if (!f) return sftp.status(reqid, STATUS_CODE.FAILURE);
            const buf = Buffer.alloc(length);
            const n = readSync(f.fd, buf, 0, length, offset);
            if (n === 0) return sftp.status(reqid, STATUS_CODE.EOF);
            return sftp.data(reqid, buf.subarray(0, n));
          });
          sftp.on('WRITE', (reqid, h, offset, data) => {
            const f = files.get(num(h));
            if (!f) return sftp.status(reqid, STATUS_CODE.FAILURE);
            writeSync(f.fd, data, 0, data.length, offset);
            return sftp.status(reqid, STATUS_CODE.OK);
          });
          sftp.on('FSTAT', (reqid, h) => {
            const f = files.get(num(h));
            if (!f) return sftp.status(reqid, STATUS_CODE.FAILURE);
            return sftp.attrs(reqid, attrsOf(fstatSync(f.fd)));
          });
          sftp.on('FSETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
          sftp.on('SETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
          sftp.on('CLOSE', (reqid, h) => {
            const n = num(h);
            const f = files.get(n);
            if (f) closeSync(f.fd);
            files.delete(n);
            dirs.delete(n);
            sftp.status(reqid, STATUS_CODE.OK);
          });
          sftp.on('OPENDIR', (reqid, p) => {
            try {
              const dir = local(p);
              if (!statSync(dir).isDirectory()) return sftp.status(reqid, STATUS_CODE.FAILURE);
              const h = next++;
              dirs.set(h, { entries: readdirSync(dir), dir });
              return sftp.handle(reqid, handle(h));
            } catch (err) {
              return fail(reqid, err);
            }
          });
          sftp.on('READDIR', (reqid, h) => {
            const d = dirs.get(num(h));
            if (!d) return sftp.status(reqid, STATUS_CODE.FAILURE);
            if (!d.entries) return sftp.status(reqid, STATUS_CODE.EOF);
            const list = d.entries.map((name) => ({ filename: name, longname: name, attrs: attrsOf(lstatSync(path.join(d.dir, name))) }));
            d.entries = null;
            return sftp.name(reqid, list);
          });
          for (const ev of ['STAT', 'LSTAT'] as const) {
            sftp.on(ev, (reqid: number, p: string) => {
              try {
                sftp.attrs(reqid, attrsOf((ev === 'STAT' ? statSync : lstatSync)(local(p))));
              } catch (err) {
                fail(reqid, err);
              }
            });
          }
          sftp.on('MKDIR', (reqid, p) => {
            try {
              mkdirSync(local(p));
              sftp.status(reqid, STATUS_CODE.OK);
            } catch (err) {
              fail(reqid, err);
            }
          });
          sftp.on('REMOVE', (reqid, p) => {
            try {
              unlinkSync(local(p));
              sftp.status(reqid, STATUS_CODE.OK);
            } catch (err) {
              fail(reqid, err);
            }
          });
          sftp.on('RENAME', (reqid, from, to) => {
            try {
              // SFTP v3: renaming over an existing file fails.
              try {
                statSync(local(to));
                return sftp.status(reqid, STATUS_CODE.FAILURE);
              } catch {
                // target free
              }
              renameSync(local(from), local(to));
              return sftp.status(reqid, STATUS_CODE.OK);
            } catch (err) {
              return fail(reqid, err);
            }
          });
          sftp.on('REALPATH', (reqid, p) => sftp.name(reqid, [{ filename: path.posix.resolve('/', p), longname: '', attrs: {} as never }]));
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const [type, blob] = hostKey.public.split(' ');
  return {
    port,
    knownHostsLine: `[127.0.0.1]:${port} ${type} ${blob}`,
    get sessions() {
      return state.sessions;
    },
    close: () => new Promise<void>((resolve) => {
      for (const c of clients) c.end();
      server.close(() => resolve());
    }),
  };
}
