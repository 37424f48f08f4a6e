import { Node } from '../../auditor/model/node';

const make = (address = 'aws_x.y', blockAddress = address) => new Node('app', 'app.tf.json', 'managed', 'aws_x', 'y', address, blockAddress, Object.create(null));

describe('Node', () => {
  it('reads unset details as undefined and the block address as the address', () => {
    const n = make();
    expect(n).toMatchObject({ stack: 'app', address: 'aws_x.y', blockAddress: 'aws_x.y', count: 1, suppressions: [] });
    for (const k of ['countUnknown', 'action', 'instanceKey', 'module', 'constructPath'] as const) expect(n[k]).toBeUndefined();
    n.countUnknown = undefined; // setting nothing keeps the node without details
    expect(n.countUnknown).toBeUndefined();
  });

  it('keeps the details it is given, each apart from the others', () => {
    const n = make('module.m.aws_x.y[0]', 'module.m.aws_x.y');
    n.action = 'create';
    n.instanceKey = 0;
    n.module = 'module.m';
    expect(n).toMatchObject({ blockAddress: 'module.m.aws_x.y', action: 'create', instanceKey: 0, module: 'module.m' });
    expect(n.constructPath).toBeUndefined();
    expect(n.countUnknown).toBeUndefined();
    n.constructPath = 'stack/x';
    n.countUnknown = 'count = var.n';
    n.action = undefined;
    expect(n).toMatchObject({ constructPath: 'stack/x', countUnknown: 'count = var.n', instanceKey: 0 });
    expect(n.action).toBeUndefined();
  });

  it('makes its id once, and its references from its links', () => {
    const n = make();
    expect(n.id).toBe('app/aws_x.y');
    expect(n.id).toBe(n.id);
    expect(n.references).toEqual([]);
    n.linksOut = [make('aws_a.b'), make('data.aws_c.d')];
    expect(n.references).toEqual(['aws_a.b', 'data.aws_c.d']);
    n.linksOut = make('aws_e.f'); // one target is held without a list
    expect(n.references).toEqual(['aws_e.f']);
    n.unlink();
    expect(n.references).toEqual([]);
  });

  it('keeps mode, count and suppressions that differ from the defaults, each apart from the others', () => {
    const data = new Node('app', 'app.tf.json', 'data', 'aws_x', 'y', 'data.aws_x.y', 'data.aws_x.y', Object.create(null));
    expect(data).toMatchObject({ mode: 'data', count: 1, suppressions: [] });
    const n = make();
    n.count = 1; // the default: the node stays without details
    n.suppressions = [];
    expect(n).toMatchObject({ mode: 'managed', count: 1, suppressions: [] });
    n.count = 3;
    expect(n).toMatchObject({ mode: 'managed', count: 3, suppressions: [] });
    const s = [{ ruleId: 'r', reason: 'why', origin: 'code' }];
    n.suppressions = s;
    expect(n.suppressions).toBe(s);
    n.count = 1;
    expect(n).toMatchObject({ mode: 'managed', count: 1, suppressions: s });
  });
});
