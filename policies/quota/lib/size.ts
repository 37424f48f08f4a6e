/**
 * Policy document size the way IAM counts it: characters, white space not counted. Only a
 * document whose text is known exactly is measured (a literal JSON string); anything Terraform
 * computes (`${jsonencode(…)}`, a data source's `.json`) is left to the plan, where it is literal.
 */
export function policyChars(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.includes('${')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  // Re-serialised compactly: no white space outside strings; white space inside strings is not counted either.
  return JSON.stringify(parsed).replace(/\s/g, '').length;
}
