import type { Rule, RuleResult } from '../rule';
import { backends } from '../lib/backend';
import { flag, isAbsent } from '../lib/values';

export const rule: Rule = {
  id: 'encryption/terraform-backend-encrypted',
  title: 'Terraform S3 backend encrypts state with a customer-managed KMS key',
  category: 'encryption',
  severity: 'high',
  rationale:
    'Terraform state holds every attribute of every resource, including generated passwords and keys. The S3 backend writes it with server-side encryption only when encrypt = true, and with your own KMS key only when kms_key_id is set. ' +
    'Severity (ours): high when encrypt is not true; medium when it is but no kms_key_id names a customer-managed key.',
  remediation: 'In the backend "s3" block (CDKTF: new S3Backend(this, {...})) set encrypt = true and kms_key_id = <ARN of the state key>, and make the state bucket\'s default encryption the same key.',
  equivalents: {},
  check(model) {
    const results: RuleResult[] = [];
    for (const { backend, node } of backends(model)) {
      if (backend.type !== 's3') continue;
      const encrypt = flag(backend.config.encrypt, false);
      if (encrypt === false) {
        results.push({ node, message: 'backend "s3" has no encrypt = true: state objects are written without requesting server-side encryption', detail: 'encrypt' });
      } else if (encrypt === true && isAbsent(backend.config.kms_key_id)) {
        results.push({ node, severity: 'medium', message: 'backend "s3" sets encrypt = true but no kms_key_id: state is encrypted with S3-managed keys, not a customer-managed key', detail: 'kms_key_id' });
      }
    }
    return results;
  },
};
