/** A test the runner does not run, with the reason printed beside it. */
export class Unsupported extends Error {
  constructor(what: string) {
    super(`runner does not implement ${what}`);
    this.name = 'Unsupported';
  }
}
