/**
 * The yaml package is loaded only when a usage file is parsed: every audit imports the usage
 * module, few pass --usage, and loading yaml is a visible part of each audit's start-up.
 */
let yamlLoads = 0;
jest.mock('yaml', () => {
  yamlLoads++;
  return jest.requireActual('yaml');
});

describe('usage file parsing', () => {
  it('does not load yaml until a usage file is parsed, and parses it when one is', () => {
    const { parseUsage } = require('../../auditor/pricing/usage') as typeof import('../../auditor/pricing/usage');
    expect(yamlLoads).toBe(0);
    const usage = parseUsage('version: 0.1\n', 'usage.yml');
    expect(yamlLoads).toBe(1);
    expect(usage).toBeDefined();
  });
});
