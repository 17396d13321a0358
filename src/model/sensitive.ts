// Values that must never be printed (secret and config contents): plans, labels, `surge config` and messages
// all serialize or inspect them as "(sensitive)". Only the driver that hands one to the engine calls reveal().

/** A string that shows itself as "(sensitive)" everywhere but reveal(). */
export class Sensitive {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return '(sensitive)';
  }
  toString(): string {
    return '(sensitive)';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '(sensitive)';
  }
}

