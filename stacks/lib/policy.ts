/** IAM policy documents as plain data, rendered to JSON when the stack is synthesized. */
import { Lazy } from 'cdktf';

export type Principal = { AWS?: string | string[]; Service?: string | string[] };

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal | '*';
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export function policyDocument(statements: readonly Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** A policy document that can still grow (grants) until the stack is synthesized. */
export class PolicyBuilder {
  private readonly statements: Statement[] = [];

  /** Adds statements; an identical statement is kept once, and colliding Sids get a numeric suffix (IAM requires unique Sids). */
  add(...statements: Statement[]): this {
    for (const st of statements) {
      const body = JSON.stringify({ ...st, Sid: undefined });
      if (this.statements.some((s) => JSON.stringify({ ...s, Sid: undefined }) === body)) continue;
      let sid = st.Sid;
      if (sid) for (let n = 2; this.statements.some((s) => s.Sid === sid); n++) sid = `${st.Sid}${n}`;
      this.statements.push(sid === st.Sid ? st : { ...st, Sid: sid });
    }
    return this;
  }

  get isEmpty(): boolean {
    return this.statements.length === 0;
  }

  /** The rendered document, resolved lazily at synth time. */
  toJson(): string {
    return Lazy.stringValue({ produce: () => policyDocument(this.statements) });
  }
}

/** Deny every request to the bucket that is not made over TLS. */
export function denyInsecureTransport(bucketArn: string): Statement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': false } },
  };
}
