import { isUnresolved, ValidationError, Validator } from '../../lib';

/** Encodes a number token the way aws-cdk-lib (0xFBFF) and cdktf (0xFDFF) do. */
function numberToken(marker: number, index = 7): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, index, true);
  view.setUint32(4, (marker << 16) >>> 0, true);
  return view.getFloat64(0, true);
}

describe('isUnresolved', () => {
  test.each([
    ['${Token[TOKEN.12]}', true], ['${TfToken[TOKEN.3]}', true], ['#{Token[TOKEN.1]}', true],
    ['#{TfToken[TOKEN.1]}', true], ['&{TfToken[TOKEN.1]}', true], ['plain', false], ['', false],
  ])('string %s -> %s', (value, expected) => {
    expect(isUnresolved(value)).toBe(expected);
  });

  test('number tokens of both libraries are recognised, plain numbers are not', () => {
    expect(isUnresolved(numberToken(0xfbff))).toBe(true);
    expect(isUnresolved(numberToken(0xfdff))).toBe(true);
    expect(isUnresolved(-1e300)).toBe(false);
    expect(isUnresolved(3)).toBe(false);
    expect(isUnresolved(NaN)).toBe(false);
  });

  test('lists are unresolved when an element is', () => {
    expect(isUnresolved(['a', '${Token[X.1]}'])).toBe(true);
    expect(isUnresolved(['a'])).toBe(false);
    expect(isUnresolved({})).toBe(false);
  });

  test('real aws-cdk-lib and cdktf tokens are recognised', () => {
    const cdk = require('aws-cdk-lib');
    const tf = require('cdktf');
    expect(isUnresolved(cdk.Token.asNumber(cdk.Lazy.number({ produce: () => 1 })))).toBe(true);
    expect(isUnresolved(cdk.Lazy.string({ produce: () => 'x' }))).toBe(true);
    expect(isUnresolved(tf.Token.asNumber(tf.Lazy.numberValue({ produce: () => 1 })))).toBe(true);
    expect(isUnresolved(tf.Lazy.stringValue({ produce: () => 'x' }))).toBe(true);
  });
});

describe('Validator', () => {
  const v = new Validator('Stack/Thing');
  const err = (fn: () => void) => {
    try { fn(); } catch (e) { return e as ValidationError; }
    throw new Error('expected a ValidationError');
  };

  test('integerInRange passes inside, fails outside, non-integers and skips tokens/undefined', () => {
    expect(() => v.integerInRange('C', 'n', 5, 1, 10)).not.toThrow();
    expect(() => v.integerInRange('C', 'n', undefined, 1, 10)).not.toThrow();
    expect(() => v.integerInRange('C', 'n', numberToken(0xfbff), 1, 10)).not.toThrow();
    const e = err(() => v.integerInRange('C', 'n', 11, 1, 10));
    expect(e.message).toBe('[C] Stack/Thing: n = 11 is invalid; allowed: an integer from 1 to 10');
    expect(() => v.integerInRange('C', 'n', 1.5, 1, 10)).toThrow(ValidationError);
  });

  test('numberInRange', () => {
    expect(() => v.numberInRange('C', 'x', 0.5, 0, 1)).not.toThrow();
    expect(() => v.numberInRange('C', 'x', 2, 0, 1)).toThrow(/x = 2 is invalid; allowed: a number from 0 to 1/);
    expect(() => v.numberInRange('C', 'x', NaN, 0, 1)).toThrow(ValidationError);
  });

  test('oneOf', () => {
    expect(() => v.oneOf('C', 'm', 3, [3, 6])).not.toThrow();
    expect(() => v.oneOf('C', 'm', 4, [3, 6])).toThrow(/m = 4 is invalid; allowed: one of: 3, 6/);
  });

  test('ordered', () => {
    expect(() => v.ordered('C', 'min', 1, 'max', 1)).not.toThrow();
    expect(() => v.ordered('C', 'min', 2, 'max', 1))
      .toThrow('[C] Stack/Thing: min/max = {"min":2,"max":1} is invalid; allowed: min <= max');
  });

  test('matches', () => {
    expect(() => v.matches('C', 's', 'abc', /^[a-z]+$/, 'lowercase')).not.toThrow();
    expect(() => v.matches('C', 's', 'ABC', /^[a-z]+$/, 'lowercase')).toThrow(/s = "ABC" is invalid; allowed: lowercase/);
  });
});
