import fc from 'fast-check';
import { traversals, blockOf, interpolations } from '../../auditor/model/refs';
import { modelOf } from '../support/model';

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

/**
 * The hand-written scanner against the pattern it implements, run the way the loader used to run
 * it (the regex over each `${…}` region read on its own): the same traversals, in the same order.
 */
describe('traversal scanner', () => {
  const TRAVERSAL =
    /(?<![\w.\-"'/:$])((?:data\.)?[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)(\[(?:\d+|"[^"\]]*")\]|\[\*\]|\.\*)?(?:\.([A-Za-z_][A-Za-z0-9_-]*))?/g;
  function byRegex(s: string): { block: string; instance: string | undefined; attr: string | undefined }[] {
    const out: { block: string; instance: string | undefined; attr: string | undefined }[] = [];
    for (const expr of interpolations(s)) {
      TRAVERSAL.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = TRAVERSAL.exec(expr)) !== null) {
        const idx = m[2] !== undefined && m[2].charCodeAt(0) === 91 && m[2] !== '[*]' ? m[2] : undefined;
        out.push({ block: m[1], instance: idx === undefined ? undefined : m[1] + idx, attr: m[3] });
      }
    }
    return out;
  }
  const expectSame = (s: string) => {
    const want = byRegex(s);
    expect(traversals(s)).toEqual(want);
  };

  it('agrees with the pattern on edge cases', () => {
    for (const s of [
      '${aws_x.y}',
      '${aws_x.y.}',
      '${aws_x.y.-a}',
      '${aws_x.y[}',
      '${aws_x.y[1}',
      '${aws_x.y[12]}',
      '${aws_x.y["a}b"].id}',
      '${aws_x.y["a]b"].id}',
      '${aws_x.y["a"b"].id}',
      '${aws_x.y[*]}',
      '${aws_x.y[*].arn.x}',
      '${aws_x.y.*.arn}',
      '${aws_x.y.*}',
      '${aws_x.y.*x}',
      '${data.aws_x.y}',
      '${data.aws_x}',
      '${data.x.y}',
      '${data.}',
      '${data}',
      '${datax_y.z}',
      '${data_x.y}',
      '${a_.b}',
      '${_a_b.c}',
      '${1aws_x.y}',
      '${aws_x.y-z_1.arn-x}',
      '${aws_x.y.z_w.v}',
      '${aws_x.y.arn}${aws_a.b[0]}',
      '${f(aws_x.y, "aws_a.b", \'aws_c.d\', $aws_e.f, /aws_g.h, :aws_i.j, -aws_k.l, (aws_m.n))}',
      '${{aws_x.y}}',
      '${ {a = aws_x.y.id, b = "${aws_z.w[3].arn}"} }',
      '${aws_x.y["k',
      '${aws_x.y',
      'x${',
      '${}',
      '$${aws_x.y}',
      'aws_x.y ${aws_a.b}',
      '${AWS_X.Y}',
      '${a1b_.c}',
      '${ab1_x2.y3[0].z4}',
    ])
      expectSame(s);
  });

  it('agrees with the pattern on generated strings', () => {
    // Pieces of traversals and everything that can stop or split one, so that many strings hold some.
    const alphabet = ['${', '}', '{', 'aws_b.c', ' aws_b.c', ' data.aws_b.c', 'data.', 'x_y', 'a', 'd', '_', '.', '.arn', '-', '[', ']', '[0]', '["k"]', '"', "'", '[*]', '.*', '*', '7', '$', '/', ':', ' ', '(', ','];
    let found = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }), (parts) => {
        const s = '${' + parts.join('');
        expectSame(s);
        if (traversals(s).length) found++;
      }),
      { numRuns: 3000 },
    );
    expect(found).toBeGreaterThan(500); // the generator does reach the scanner (about a third of the strings hold a traversal)
  });
});

describe('resolving a value', () => {
  const model = modelOf({
    resource: { aws_b: { r: { x: 1 }, 'c-1': { x: 2 } }, aws_iam_role: { r: { name: 'r' } } },
    data: { aws_d: { r: { y: 1 } } },
  });
  it('answers a value that is one traversal (read in one pass) as the general scan does', () => {
    const pick = (...xs: string[]) => fc.constantFrom(...xs);
    const value = fc
      .tuple(pick('${', '${', '$', '${ '), pick('', 'data.', 'x.'), pick('aws_b', 'aws_iam_role', 'aws_d', 'a'), pick('.'), pick('r', 'c-1', 'q'), pick('', '[0]', '["k"]', '[*]', '.*', '["}"]'), pick('', '.arn', '.arn.x', '.', '.*.y'), pick('}', '}', '}/*', '', '}${aws_b.r}'))
      .map((p) => p.join(''));
    fc.assert(
      fc.property(value, (s) => {
        // A leading space keeps the value from being one traversal: the general scan answers it.
        expect(model.resolve('test', s)).toBe(model.resolve('test', ` ${s}`));
      }),
      { numRuns: 3000 },
    );
    expect(model.resolve('test', '${aws_b.c-1.arn}')?.address).toBe('aws_b.c-1');
    expect(model.resolve('test', '${data.aws_d.r.json}')?.address).toBe('data.aws_d.r');
    expect(model.resolve('test', '${aws_b.q.arn}')).toBeUndefined();
    expect(model.resolve('other', '${aws_b.r.arn}')).toBeUndefined();
  });
});
