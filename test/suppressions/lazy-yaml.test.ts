/**
 * The yaml package is loaded only when a suppressions file is read: most audits have none, and
 * loading yaml is a visible part of each audit's start-up.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

let yamlLoads = 0;
jest.mock('yaml', () => {
  yamlLoads++;
  return jest.requireActual('yaml');
});

describe('suppressions file loading', () => {
  it('does not load yaml until a suppressions file is read, and parses it when one is', () => {
    const { loadSuppressionsFile } = require('../../auditor/suppressions/file') as typeof import('../../auditor/suppressions/file');
    expect(yamlLoads).toBe(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-supp-'));
    try {
      const file = path.join(dir, 'suppressions.yml');
      fs.writeFileSync(file, 'version: 1\nsuppressions: []\n');
      expect(loadSuppressionsFile(file)).toEqual([]);
      expect(yamlLoads).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
