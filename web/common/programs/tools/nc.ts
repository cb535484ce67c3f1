import { PyException } from '../../../../shared/py-exception.ts';
import { Utf8StreamDecoder, utf8Encode } from '../../../../shared/utf8.ts';
import type { PySocket } from '../../net/py-socket.ts';
import type { BuiltinProgram, ProgramIO } from '../program.ts';

const USAGE = 'usage: nc HOST PORT | nc -l PORT';
/** socket.SHUT_WR */
const SHUT_WR = 1;

type Target = { listen: true; port: number } | { listen: false; host: string; port: number };

function parsePort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}

/** `nc HOST PORT` or `nc -l PORT`; null for anything else. */
function parseArgs(argv: readonly string[]): Target | null {
  if (argv.length !== 2) return null;
  const [first, second] = argv as [string, string];
  const port = parsePort(second);
  if (port === null) return null;
  if (first === '-l') return { listen: true, port };
  if (first === '' || first.startsWith('-')) return null;
  return { listen: false, host: first, port };
}

/** The connected socket: connects, or listens and accepts one peer like netcat (silently). */
async function open(io: ProgramIO, target: Target): Promise<PySocket> {
  if (!target.listen) {
    const sock = await io.socket();
    await sock.connect([target.host, target.port]);
    return sock;
  }
  const listener = await io.socket();
  await listener.bind(['0.0.0.0', target.port]);
  await listener.listen();
  const [conn] = await listener.accept();
  // One connection only, as netcat without -k: the listening socket goes away.
  await listener.close();
  return conn;
}

/**
 * A small netcat. Lines typed are sent (with '\n'), bytes received are shown as they come.
 * Ctrl-D sends end-of-stream (shutdown SHUT_WR) and keeps showing what arrives; nc ends when
 * the peer ends its stream. Errors (refused, reset, Ctrl-C) propagate to the runner, which
 * prints them and closes the sockets.
 */
export const nc: BuiltinProgram = {
  name: 'nc',
  file: 'nc',
  lesson: 'tool',
  summary: 'netcat: `nc HOST PORT` connects, `nc -l PORT` waits for one connection; then type lines to send them',
  async main(io) {
    const target = parseArgs(io.argv);
    if (target === null) {
      io.print(USAGE);
      return;
    }
    const conn = await open(io, target);
    let finished = false;

    // Peer to console: raw bytes, with characters split across chunks held back.
    const receiving = (async () => {
      const decoder = new Utf8StreamDecoder();
      for (;;) {
        const chunk = await conn.recv(4096);
        if (chunk.length === 0) break;
        const text = decoder.push(chunk);
        if (text !== '') io.write(text);
      }
      const rest = decoder.end();
      if (rest !== '') io.write(rest);
    })();

    // Console to peer: each typed line; end of input (Ctrl-D) half-closes the connection.
    const sending = (async () => {
      for (;;) {
        let line: string;
        try {
          line = await io.input('');
        } catch (err) {
          if (finished) return;
          if (err instanceof PyException && err.pyType === 'EOFError') {
            await conn.shutdown(SHUT_WR);
            return;
          }
          throw err;
        }
        if (finished) return;
        await conn.sendall(utf8Encode(line + '\n'));
      }
    })();
    // Sending finishing normally (Ctrl-D) does not end nc; sending failing does.
    const sendingFailed = sending.then(() => new Promise<never>(() => {}));

    await Promise.race([receiving, sendingFailed]);
    finished = true;
    await conn.close();
  },
};
