/** What the CLI touches of the outside world, injectable so tests can run it in-process. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tty from 'node:tty';
import { UserError } from '../errors';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock (tests pin it). @default - the real time */
  now?(): Date;
}

export function processIo(): CliIo {
  let toFile: boolean | undefined;
  return {
    stdout: (t) => {
      // Redirected to a file (or /dev/null), stdout is written straight to its descriptor, which is
      // what Node's own stream for a file does, less the new Buffer it makes of every piece first
      // (a large JSON report is hundreds of pieces: ~11 MB of fresh memory at 24k resources).
      toFile ??= stdoutIsFile();
      if (!toFile) process.stdout.write(t);
      else {
        try {
          fs.writeSync(1, t);
        } catch (e) {
          // A full disk behind `> report.json` is the user's to fix, worded like a failed --output.
          throw new UserError('stdout', `cannot write the report (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        }
      }
    },
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Whether fd 1 is a regular file or a non-terminal device such as /dev/null (both written synchronously). */
function stdoutIsFile(): boolean {
  try {
    const st = fs.fstatSync(1);
    return st.isFile() || (st.isCharacterDevice() && !tty.isatty(1));
  } catch {
    return false;
  }
}

/**
 * Write `content` (a string, or the pieces of one, taken one at a time) to `file` atomically: into a temporary file in the same folder, flushed, then
 * renamed over the target. A failure leaves the target as it was and no temporary file behind.
 */
export function writeFileAtomic(file: string, content: string | Iterable<string>, cwd: string): void {
  const target = path.resolve(cwd, file);
  const dir = path.dirname(target);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(target);
  } catch {
    /* a new file */
  }
  if (st?.isDirectory()) throw new UserError(file, 'is a folder; give --output a file name');
  try {
    if (!fs.statSync(dir).isDirectory()) throw new Error();
  } catch {
    throw new UserError(file, `cannot write the report: folder ${path.relative(cwd, dir) || dir} does not exist`);
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    // Pieces are written one by one (see jsonPieces): never joined into one string first.
    if (typeof content === 'string') fs.writeFileSync(fd, content);
    else for (const piece of content) fs.writeFileSync(fd, piece);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* never created */
    }
    // A piece that could not be made (pieces are made while they are written) is a bug, not a
    // problem with the file: it goes on as it is, with nothing half-written left behind.
    if (!(e instanceof Error) || typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    throw new UserError(file, `cannot write the report (${(e as NodeJS.ErrnoException).code})`);
  }
}
