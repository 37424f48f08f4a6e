/** Red-team regressions in the config loader: for_each over a literal collection written as an expression. */
import { modelOf } from '../support/model';

const countOf = (forEach: unknown) => {
  const m = modelOf({ resource: { aws_sqs_queue: { q: { for_each: forEach, name: '${each.key}' } } } });
  const n = m.get('test', 'aws_sqs_queue.q')! as unknown as { count: number; countUnknown?: string };
  return [n.count, n.countUnknown !== undefined] as const;
};

describe('for_each written by hand as an expression', () => {
  it.each([
    ['${toset(["a", "b", "c"])}', 3],
    ['${toset(["a", "a", "b"])}', 2],
    ['${["x", "y"]}', 2],
    ['${tomap({"a": 1, "b": 2})}', 2],
    ['${{"a": "x"}}', 1],
  ])('%s counts %d instances', (expr, n) => {
    expect(countOf(expr)).toEqual([n, false]);
  });
  it.each(['${toset(var.names)}', '${toset(["a", "${var.b}"])}', '${aws_s3_bucket.all}', '${toset({"a": 1})}', '${tomap(["a"])}', '${toset([["a"], ["b"]])}'])(
    '%s stays counted as 1 with the expression recorded',
    (expr) => {
      expect(countOf(expr)).toEqual([1, true]);
    },
  );
});
