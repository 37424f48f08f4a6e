/** writeFileAtomic: the report lands whole or not at all, from one string or from its pieces. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../../auditor/errors';
import { writeFileAtomic } from '../../auditor/cli/io';

describe('writeFileAtomic', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-io-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes pieces in order, as one file, with no temporary file left behind', () => {
    writeFileAtomic('r.json', ['{"a":', '"—"', ',"b":1}', '\n'], dir);
    expect(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')).toBe('{"a":"—","b":1}\n');
    expect(fs.readdirSync(dir)).toEqual(['r.json']);
  });

  it('replaces an existing report with a string', () => {
    writeFileAtomic('r.json', 'new\n', dir);
    expect(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')).toBe('new\n');
  });

  it('takes pieces made while it writes, and leaves the old report whole when one cannot be made', () => {
    function* pieces(fail: boolean) {
      yield '{"a":';
      if (fail) throw new TypeError('a bug while rendering');
      yield '1}\n';
    }
    writeFileAtomic('r.json', pieces(false), dir);
    expect(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')).toBe('{"a":1}\n');
    // A bug is not a problem with the file: it is not worded as a UserError, and nothing is half-written.
    expect(() => writeFileAtomic('r.json', pieces(true), dir)).toThrow(TypeError);
    expect(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')).toBe('{"a":1}\n');
    expect(fs.readdirSync(dir)).toEqual(['r.json']);
  });

  it('refuses a missing folder with a UserError and leaves nothing behind', () => {
    expect(() => writeFileAtomic('nope/r.json', ['x'], dir)).toThrow(UserError);
    expect(fs.readdirSync(dir)).toEqual(['r.json']);
  });
});
