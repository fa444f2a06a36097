/**
 * Stable codes for every validation rule in the library. Codes are public API: tools and tests may
 * match on them, so a code is never reused for a different rule.
 */
export type ValidationCode =
  | 'MODEL_DOES_NOT_FIT'
  | 'CONCURRENCY_OUT_OF_RANGE'
  | 'REPLICAS_OUT_OF_RANGE'
  | 'MIN_GREATER_THAN_MAX'
  | 'ACCELERATOR_COUNT_OUT_OF_RANGE'
  | 'ACCELERATOR_NOT_SUPPORTED'
  | 'SCALING_TARGET_OUT_OF_RANGE'
  | 'METRIC_NAME_INVALID'
  | 'SERVER_NOT_SUPPORTED'
  | 'UNKNOWN_MODEL'
  | 'UNKNOWN_INSTANCE_TYPE'
  | string;

/** What a {@link ValidationError} reports. */
export interface ValidationErrorProps {
  /** Stable error code, e.g. `CONCURRENCY_OUT_OF_RANGE`. */
  readonly code: ValidationCode;
  /** Construct path (or spec path) of the thing being validated, e.g. `MyStack/Backend`. */
  readonly path: string;
  /** The name of the offending property, e.g. `maxInstanceCount`. */
  readonly property: string;
  /** The offending value. */
  readonly value: unknown;
  /** The allowed range or set, in words, e.g. `1-1000` or `one of: 3, 6, 12`. */
  readonly allowed: string;
  /** An optional explanation appended to the message. */
  readonly hint?: string;
}

/**
 * The one error type the library throws for bad input, at synth time, before anything reaches a
 * cloud. Its message names the construct path, the property, the offending value and the allowed
 * range:
 *
 * `[CONCURRENCY_OUT_OF_RANGE] MyStack/Backend: concurrency = 0 is invalid; allowed: 1-1000`
 */
export class ValidationError extends Error {
  /** Type guard that also works across copies of this package in one process. */
  public static isValidationError(e: unknown): e is ValidationError {
    return e instanceof ValidationError ||
      (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'ValidationError' &&
        typeof (e as { code?: unknown }).code === 'string');
  }

  /** Stable error code. */
  public readonly code: ValidationCode;
  /** Construct path of the thing that failed validation. */
  public readonly path: string;
  /** The offending property. */
  public readonly property: string;
  /** The offending value. */
  public readonly value: unknown;
  /** The allowed range or set, in words. */
  public readonly allowed: string;

  constructor(props: ValidationErrorProps) {
    super(`[${props.code}] ${props.path}: ${props.property} = ${formatValue(props.value)} is invalid; ` +
      `allowed: ${props.allowed}${props.hint ? ` (${props.hint})` : ''}`);
    this.name = 'ValidationError';
    this.code = props.code;
    this.path = props.path;
    this.property = props.property;
    this.value = props.value;
    this.allowed = props.allowed;
    Object.setPrototypeOf(this, ValidationError.prototype);
  }
}

/** Renders a value for an error message: strings quoted, objects as compact JSON, long text cut. */
export function formatValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') {
    text = JSON.stringify(value);
  } else if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) {
    text = String(value);
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
