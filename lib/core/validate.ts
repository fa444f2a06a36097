import { ValidationCode, ValidationError } from './errors';

/** Top 16 bits of a number token: aws-cdk-lib (and cdktf number lists) use 0xFBFF, cdktf numbers 0xFDFF. */
const NUMBER_TOKEN_MARKERS = [0xfbff, 0xfdff];

/**
 * True when `value` is an unresolved token of aws-cdk-lib or cdktf (a value only known at deploy
 * time). Validation skips such values: they cannot be checked at synth time.
 *
 * Both libraries encode string tokens as `${Token[...]}` / `${TfToken[...]}`, list tokens as
 * `#{Token[...]}` / `#{TfToken[...]}`, and number tokens as huge negative doubles whose top 16 bits
 * are a marker (0xFBFF or 0xFDFF).
 * The core cannot import either library, so it recognises the encodings themselves.
 */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes('${Token[') || value.includes('${TfToken[') || value.includes('&{TfToken[') ||
      value.includes('#{Token[') || value.includes('#{TfToken[');
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value > -1e280) return false;
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, true);
    return NUMBER_TOKEN_MARKERS.includes(view.getUint16(6, true));
  }
  if (Array.isArray(value)) return value.some(isUnresolved);
  return false;
}

/**
 * Token-aware validation helpers bound to one construct path. Every failed check throws a
 * {@link ValidationError} naming the path, the property, the value and the allowed range.
 */
export class Validator {
  /**
   * @param path the construct path (or spec path) reported in errors
   */
  constructor(public readonly path: string) {}

  /** Throws a {@link ValidationError} for this path. */
  public fail(code: ValidationCode, property: string, value: unknown, allowed: string, hint?: string): never {
    throw new ValidationError({ code, path: this.path, property, value, allowed, hint });
  }

  /** Checks that `value` is an integer in `[min, max]` (unresolved tokens and `undefined` pass). */
  public integerInRange(code: ValidationCode, property: string, value: number | undefined, min: number,
    max: number, hint?: string): void {
    if (value === undefined || isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(code, property, value, `an integer from ${min} to ${max}`, hint);
    }
  }

  /** Checks that `value` is a finite number in `[min, max]` (unresolved tokens and `undefined` pass). */
  public numberInRange(code: ValidationCode, property: string, value: number | undefined, min: number,
    max: number, hint?: string): void {
    if (value === undefined || isUnresolved(value)) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.fail(code, property, value, `a number from ${min} to ${max}`, hint);
    }
  }

  /** Checks that `value` is one of `allowed` (unresolved tokens and `undefined` pass). */
  public oneOf<T>(code: ValidationCode, property: string, value: T | undefined, allowed: readonly T[],
    hint?: string): void {
    if (value === undefined || isUnresolved(value)) return;
    if (!allowed.includes(value)) {
      this.fail(code, property, value, `one of: ${allowed.map(String).join(', ')}`, hint);
    }
  }

  /** Checks `min <= max` for a pair of bounds (either side unresolved or undefined passes). */
  public ordered(code: ValidationCode, minProperty: string, min: number | undefined, maxProperty: string,
    max: number | undefined): void {
    if (min === undefined || max === undefined || isUnresolved(min) || isUnresolved(max)) return;
    if (min > max) {
      this.fail(code, `${minProperty}/${maxProperty}`, { [minProperty]: min, [maxProperty]: max },
        `${minProperty} <= ${maxProperty}`);
    }
  }

  /** Checks that `value` matches `pattern` (unresolved tokens and `undefined` pass). */
  public matches(code: ValidationCode, property: string, value: string | undefined, pattern: RegExp,
    allowed: string): void {
    if (value === undefined || isUnresolved(value)) return;
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.fail(code, property, value, allowed);
    }
  }
}
