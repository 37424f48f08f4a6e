import { AddressIndex, hashRange } from '../../auditor/model/address-index';
import { Node } from '../../auditor/model/node';

const node = (address: string) => new Node('s', 's.tf.json', 'managed', 'aws_x', 'n', address, address, Object.create(null));

/** An index over `nodes`, every one added in order. */
function indexOf(nodes: Node[], expected = nodes.length): AddressIndex {
  const index = new AddressIndex(nodes, expected);
  nodes.forEach((_, i) => index.set(i));
  return index;
}

describe('AddressIndex', () => {
  it('finds nodes by address and by a range of a longer string', () => {
    const a = node('aws_s3_bucket.a');
    const b = node('data.aws_iam_policy_document.b');
    const index = indexOf([a, b]);
    expect(index.size).toBe(2);
    expect(index.get('aws_s3_bucket.a')).toBe(a);
    expect(index.get('aws_s3_bucket.ab')).toBeUndefined();
    expect(index.get('aws_s3_bucket.')).toBeUndefined();
    const text = '${aws_s3_bucket.a.arn}/${data.aws_iam_policy_document.b.json}';
    expect(index.getRange(text, 2, 17)).toBe(a);
    expect(index.getRange(text, 2, 18)).toBeUndefined();
    expect(index.getRange(text, 25, 25 + b.address.length)).toBe(b);
  });

  it('replaces the node at an address and returns the one replaced', () => {
    const first = node('aws_x.y');
    const second = node('aws_x.y');
    const index = new AddressIndex([first, second], 1);
    expect(index.set(0)).toBeUndefined();
    expect(index.set(1)).toBe(first);
    expect(index.size).toBe(1);
    expect(index.get('aws_x.y')).toBe(second);
  });

  it('grows past the size it was made for and keeps every node', () => {
    const nodes = Array.from({ length: 300 }, (_, i) => node(`aws_x.n${i}`));
    const index = indexOf(nodes, 0);
    expect(index.size).toBe(300);
    for (const n of nodes) expect(index.get(n.address)).toBe(n);
    expect(index.get('aws_x.n300')).toBeUndefined();
  });

  it('tells apart addresses that start at the same slot', () => {
    // Two addresses starting at the same slot of a 16-slot table: the second is found by probing on.
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const s = `aws_x.k${i}`;
      const h = hashRange(s, 0, s.length) & 15;
      const other = seen.get(h);
      if (other !== undefined) pair = [other, s];
      else seen.set(h, s);
    }
    const [p, q] = pair.map(node);
    const index = indexOf([p, q], 4);
    expect(index.get(p.address)).toBe(p);
    expect(index.get(q.address)).toBe(q);
    expect(index.get('aws_x.other')).toBeUndefined();
  });

  it('hashes a range like the same text on its own', () => {
    expect(hashRange('xx aws_a.b yy', 3, 10)).toBe(hashRange('aws_a.b', 0, 7));
    expect(hashRange('aws_a.b', 0, 7)).not.toBe(hashRange('aws_a.c', 0, 7));
  });
});
