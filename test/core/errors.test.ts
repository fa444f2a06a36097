import { formatValue, ValidationError } from '../../lib';

describe('ValidationError', () => {
  test('message names the code, path, property, value and allowed range', () => {
    const e = new ValidationError({
      code: 'CONCURRENCY_OUT_OF_RANGE', path: 'Stack/Backend', property: 'concurrency', value: 0,
      allowed: 'an integer from 1 to 1000',
    });
    expect(e.message).toBe(
      '[CONCURRENCY_OUT_OF_RANGE] Stack/Backend: concurrency = 0 is invalid; allowed: an integer from 1 to 1000');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.name).toBe('ValidationError');
    expect([e.code, e.path, e.property, e.value, e.allowed])
      .toEqual(['CONCURRENCY_OUT_OF_RANGE', 'Stack/Backend', 'concurrency', 0, 'an integer from 1 to 1000']);
  });

  test('a hint is appended in parentheses', () => {
    const e = new ValidationError({ code: 'X', path: 'p', property: 'q', value: 'v', allowed: 'a', hint: 'why' });
    expect(e.message).toBe('[X] p: q = "v" is invalid; allowed: a (why)');
  });

  test('isValidationError recognises instances and look-alikes from another copy of the package', () => {
    const e = new ValidationError({ code: 'X', path: 'p', property: 'q', value: 1, allowed: 'a' });
    expect(ValidationError.isValidationError(e)).toBe(true);
    expect(ValidationError.isValidationError({ name: 'ValidationError', code: 'X' })).toBe(true);
    expect(ValidationError.isValidationError(new Error('x'))).toBe(false);
    expect(ValidationError.isValidationError(undefined)).toBe(false);
  });

  test('formatValue quotes strings, renders objects as JSON and cuts long values', () => {
    expect(formatValue('a')).toBe('"a"');
    expect(formatValue(3)).toBe('3');
    expect(formatValue(undefined)).toBe('undefined');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue('x'.repeat(500))).toHaveLength(200);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe('[object Object]');
  });
});
