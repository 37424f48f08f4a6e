/** Test helper: a ResourceModel from one Terraform JSON object, as if it were `<stack>/cdk.tf.json`. */
import { modelFromTerraformJson } from '../../auditor/load';
import type { ResourceModel } from '../../auditor/model/types';

export function modelOf(tfJson: object, stack = 'test'): ResourceModel {
  return modelFromTerraformJson({ [stack]: tfJson });
}
