/**
 * A user mistake (bad flag, missing file, malformed input): the CLI prints `gantry: <message>`
 * on one line and exits 2. Never thrown for bugs.
 */
export class UserError extends Error {
  constructor(readonly subject: string | undefined, readonly problem: string) {
    super(subject ? `${subject}: ${problem}` : problem);
    this.name = 'UserError';
  }
}
