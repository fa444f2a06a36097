/** Shared helpers of the lib/gcp tests. */
import { AnnotationMetadataEntryType } from 'cdktf/lib/annotations';
import { IConstruct } from 'constructs';
import { ValidationError } from '../../lib';
import { TerraformStack, Testing, TfTemplate } from '../../lib/tf';

/** A fresh stack named `Test` in a test app. */
export function testStack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'Test');
}

/** Synthesizes `stack` into a TfTemplate. */
export function template(stack: TerraformStack): TfTemplate {
  return TfTemplate.fromStack(stack);
}

/** The ValidationError `fn` throws; fails the test when it throws nothing or something else. */
export function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

/** Asserts `fn` throws a ValidationError with `code` whose message names `path`, `property` and `value`. */
export function expectValidationError(fn: () => unknown, code: string, path: string, property: string,
  value: string): ValidationError {
  const e = validationError(fn);
  expect(e.code).toBe(code);
  expect(e.path).toBe(path);
  expect(e.property).toBe(property);
  expect(e.message).toContain(`[${code}] ${path}: ${property} = ${value} is invalid; allowed: `);
  return e;
}

/** cdktf warning messages on `scope` and its children. */
export function warnings(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data)));
}
