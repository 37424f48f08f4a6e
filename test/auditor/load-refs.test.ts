import { traversals, blockOf, interpolations } from '../../auditor/model/refs';

describe('reference extraction', () => {
  it('finds plain, data, nested and indexed references', () => {
    expect(traversals('${aws_s3_bucket.a.arn}/*')).toEqual([{ block: 'aws_s3_bucket.a', attr: 'arn' }]);
    expect(traversals('${data.aws_iam_policy_document.d.json}')).toEqual([{ block: 'data.aws_iam_policy_document.d', attr: 'json' }]);
    expect(traversals('${aws_x.y["k"].id}')).toEqual([{ block: 'aws_x.y', instance: 'aws_x.y["k"]', attr: 'id' }]);
    expect(traversals('${data.aws_x.y[1].id}')).toEqual([{ block: 'data.aws_x.y', instance: 'data.aws_x.y[1]', attr: 'id' }]);
    expect(traversals('${aws_x.y[*].id}')).toEqual([{ block: 'aws_x.y', attr: 'id' }]);
    const j = traversals('${jsonencode({"R" = [aws_s3_bucket.b.arn, "${aws_s3_bucket.c[0].arn}/*"], "S" = "codebuild.amazonaws.com"})}');
    expect(j.map((t) => t.block)).toEqual(['aws_s3_bucket.b', 'aws_s3_bucket.c']);
  });
  it('ignores variables, locals, iterators, modules and literal text', () => {
    expect(traversals('${var.x_y.z}')).toEqual([]);
    expect(traversals('${each.value.arn} ${count.index} ${local.a_b}')).toEqual([]);
    expect(traversals('${module.m_x.out}')).toEqual([]);
    expect(traversals('aws_s3_bucket.a.arn')).toEqual([]);
    expect(traversals('"${"s3.amazonaws.com"}"')).toEqual([]);
  });
  it('balances nested braces and survives unterminated interpolations', () => {
    expect(interpolations('a${f({x = 1})}b${c')).toEqual(['f({x = 1})', 'c']);
    expect(blockOf('aws_x.y[0]')).toBe('aws_x.y');
    expect(blockOf('module.m.aws_x.y["a[b"]')).toBe('module.m.aws_x.y');
  });
});
