import { ValidationError } from './errors';

const GIB = 1024 ** 3;

/**
 * Numeric precision the weights are served at. `OLLAMA_DEFAULT` is the quantization of the Ollama
 * library tag (Q4_K_M for Gemma 3 except `gemma3:270m`, which Ollama ships in Q8_0).
 */
export enum Precision {
  /** bfloat16: 2 bytes per parameter (vLLM and JetStream defaults). */
  BF16 = 'bf16',
  /** 8-bit floating point or integer: 1 byte per parameter. */
  FP8 = 'fp8',
  /** 4-bit integer: half a byte per parameter. */
  INT4 = 'int4',
  /** Whatever the Ollama library tag ships; its size is the tag's download size. */
  OLLAMA_DEFAULT = 'ollama-default',
}

/** Bytes per parameter for the precisions that are a fixed width. */
const BYTES_PER_PARAMETER: Record<Exclude<Precision, Precision.OLLAMA_DEFAULT>, number> = {
  [Precision.BF16]: 2,
  [Precision.FP8]: 1,
  [Precision.INT4]: 0.5,
};

/**
 * Multiplier over the weights for activations, CUDA context and a modest KV cache, plus a fixed
 * runtime allowance. A planning estimate (the common "weights x 1.2" rule), not a guarantee: long
 * contexts at high concurrency need more.
 */
export const MEMORY_OVERHEAD_FACTOR = 1.2;
/** Fixed runtime allowance added to every estimate, in bytes (1 GiB). */
export const RUNTIME_OVERHEAD_BYTES = 1 * GIB;

/** What describes a model in the catalog. */
export interface ModelProps {
  /** Family name, e.g. `gemma3`. */
  readonly family: string;
  /** Size label within the family, e.g. `270m`. */
  readonly size: string;
  /** Ollama library tag, e.g. `gemma3:270m`; undefined where Ollama ships none. */
  readonly ollamaTag?: string;
  /** Hugging Face model id (instruction-tuned), e.g. `google/gemma-3-270m-it`. */
  readonly huggingFaceId: string;
  /** Parameter count. */
  readonly parameterCount: number;
  /** Size of the Ollama tag's weights in bytes; required when `ollamaTag` is set. */
  readonly ollamaWeightBytes?: number;
  /** Context window in tokens. */
  readonly contextTokens: number;
  /** Whether the Hugging Face repository is gated (needs an access token and accepted terms). */
  readonly gated?: boolean;
}

/** The Gemma 3 sizes in the catalog. */
export type Gemma3Size = '270m' | '1b' | '4b' | '12b' | '27b';

/**
 * Gemma 3 catalog.
 *
 * Sources (checked 2026-11):
 * - Ollama library https://ollama.com/library/gemma3 — tags and download sizes
 *   (270m 292 MB, 1b 815 MB, 4b 3.3 GB, 12b 8.1 GB, 27b 17 GB) and context (32K for 270m/1b, 128K above).
 * - Hugging Face model cards https://huggingface.co/google/gemma-3-{size}-it — parameter counts from the
 *   safetensors metadata; all Gemma repositories are gated behind the Gemma terms of use.
 */
const GEMMA3: Record<Gemma3Size, ModelProps> = {
  '270m': {
    family: 'gemma3', size: '270m', ollamaTag: 'gemma3:270m', huggingFaceId: 'google/gemma-3-270m-it',
    parameterCount: 268_098_176, ollamaWeightBytes: 292e6, contextTokens: 32_768, gated: true,
  },
  '1b': {
    family: 'gemma3', size: '1b', ollamaTag: 'gemma3:1b', huggingFaceId: 'google/gemma-3-1b-it',
    parameterCount: 999_885_952, ollamaWeightBytes: 815e6, contextTokens: 32_768, gated: true,
  },
  '4b': {
    family: 'gemma3', size: '4b', ollamaTag: 'gemma3:4b', huggingFaceId: 'google/gemma-3-4b-it',
    parameterCount: 4_300_079_472, ollamaWeightBytes: 3.3e9, contextTokens: 131_072, gated: true,
  },
  '12b': {
    family: 'gemma3', size: '12b', ollamaTag: 'gemma3:12b', huggingFaceId: 'google/gemma-3-12b-it',
    parameterCount: 12_187_325_040, ollamaWeightBytes: 8.1e9, contextTokens: 131_072, gated: true,
  },
  '27b': {
    family: 'gemma3', size: '27b', ollamaTag: 'gemma3:27b', huggingFaceId: 'google/gemma-3-27b-it',
    parameterCount: 27_432_406_640, ollamaWeightBytes: 17e9, contextTokens: 131_072, gated: true,
  },
};

/**
 * A model in the catalog: identity (Ollama tag, Hugging Face id), size, context, and the accelerator
 * memory it needs at a given precision.
 */
export class Model {
  /** A Gemma 3 size: `270m`, `1b`, `4b`, `12b` or `27b`. */
  public static gemma3(size: Gemma3Size): Model {
    const props = GEMMA3[size];
    if (!props) {
      throw new ValidationError({
        code: 'UNKNOWN_MODEL', path: 'Model.gemma3', property: 'size', value: size,
        allowed: `one of: ${Model.gemma3Sizes().join(', ')}`,
      });
    }
    return new Model(props);
  }

  /** The Gemma 3 sizes the catalog knows, smallest first. */
  public static gemma3Sizes(): Gemma3Size[] {
    return Object.keys(GEMMA3) as Gemma3Size[];
  }

  /** Looks a Gemma 3 model up by its Ollama tag (e.g. `gemma3:270m`). */
  public static fromOllamaTag(tag: string): Model {
    const found = Object.values(GEMMA3).find((m) => m.ollamaTag === tag);
    if (!found) {
      throw new ValidationError({
        code: 'UNKNOWN_MODEL', path: 'Model.fromOllamaTag', property: 'tag', value: tag,
        allowed: `one of: ${Object.values(GEMMA3).map((m) => m.ollamaTag).join(', ')}`,
        hint: 'use Model.custom() for models outside the catalog',
      });
    }
    return new Model(found);
  }

  /**
   * Llama 3.1 8B Instruct (https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct, gated; 8,030,261,248
   * parameters; 128K context; Ollama tag `llama3.1:8b`, 4.9 GB).
   */
  public static llama31_8bInstruct(): Model {
    return new Model({
      family: 'llama3.1', size: '8b', ollamaTag: 'llama3.1:8b', huggingFaceId: 'meta-llama/Llama-3.1-8B-Instruct',
      parameterCount: 8_030_261_248, ollamaWeightBytes: 4.9e9, contextTokens: 131_072, gated: true,
    });
  }

  /** A model outside the catalog. */
  public static custom(props: ModelProps): Model {
    const path = `Model.custom(${props.huggingFaceId})`;
    if (!Number.isFinite(props.parameterCount) || props.parameterCount <= 0) {
      throw new ValidationError({
        code: 'UNKNOWN_MODEL', path, property: 'parameterCount', value: props.parameterCount,
        allowed: 'a positive number',
      });
    }
    if (!Number.isInteger(props.contextTokens) || props.contextTokens <= 0) {
      throw new ValidationError({
        code: 'UNKNOWN_MODEL', path, property: 'contextTokens', value: props.contextTokens,
        allowed: 'a positive integer',
      });
    }
    if (props.ollamaTag !== undefined && !(props.ollamaWeightBytes! > 0)) {
      throw new ValidationError({
        code: 'UNKNOWN_MODEL', path, property: 'ollamaWeightBytes', value: props.ollamaWeightBytes,
        allowed: 'a positive number of bytes when ollamaTag is set',
      });
    }
    return new Model(props);
  }

  /** Family name, e.g. `gemma3`. */
  public readonly family: string;
  /** Size label, e.g. `270m`. */
  public readonly size: string;
  /** Ollama library tag, if Ollama ships one. */
  public readonly ollamaTag?: string;
  /** Hugging Face model id. */
  public readonly huggingFaceId: string;
  /** Parameter count. */
  public readonly parameterCount: number;
  /** Context window in tokens. */
  public readonly contextTokens: number;
  /** Whether the Hugging Face repository is gated. */
  public readonly gated: boolean;
  private readonly ollamaWeightBytes?: number;

  private constructor(props: ModelProps) {
    this.family = props.family;
    this.size = props.size;
    this.ollamaTag = props.ollamaTag;
    this.huggingFaceId = props.huggingFaceId;
    this.parameterCount = props.parameterCount;
    this.contextTokens = props.contextTokens;
    this.gated = props.gated ?? false;
    this.ollamaWeightBytes = props.ollamaWeightBytes;
  }

  /** A short display name, e.g. `gemma3-270m`. */
  public get name(): string {
    return `${this.family}-${this.size}`;
  }

  /**
   * Bytes the weights occupy at `precision`. For `OLLAMA_DEFAULT` this is the Ollama tag's size; a
   * model without an Ollama tag has no such precision.
   */
  public weightBytes(precision: Precision): number {
    if (precision === Precision.OLLAMA_DEFAULT) {
      if (this.ollamaWeightBytes === undefined) {
        throw new ValidationError({
          code: 'SERVER_NOT_SUPPORTED', path: `Model(${this.name})`, property: 'precision', value: precision,
          allowed: `${Precision.BF16}, ${Precision.FP8} or ${Precision.INT4}`, hint: 'the model has no Ollama tag',
        });
      }
      return this.ollamaWeightBytes;
    }
    return this.parameterCount * BYTES_PER_PARAMETER[precision];
  }

  /**
   * Estimated accelerator memory (bytes) to serve the model at `precision`:
   * `weights x MEMORY_OVERHEAD_FACTOR + RUNTIME_OVERHEAD_BYTES`.
   */
  public requiredAcceleratorMemoryBytes(precision: Precision): number {
    return Math.ceil(this.weightBytes(precision) * MEMORY_OVERHEAD_FACTOR + RUNTIME_OVERHEAD_BYTES);
  }
}
