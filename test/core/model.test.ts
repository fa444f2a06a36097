import { Model, Precision, ValidationError } from '../../lib';

describe('Model catalog', () => {
  test.each([
    ['270m', 'gemma3:270m', 'google/gemma-3-270m-it', 32_768],
    ['1b', 'gemma3:1b', 'google/gemma-3-1b-it', 32_768],
    ['4b', 'gemma3:4b', 'google/gemma-3-4b-it', 131_072],
    ['12b', 'gemma3:12b', 'google/gemma-3-12b-it', 131_072],
    ['27b', 'gemma3:27b', 'google/gemma-3-27b-it', 131_072],
  ] as const)('gemma3(%s)', (size, tag, hf, context) => {
    const m = Model.gemma3(size);
    expect(m.ollamaTag).toBe(tag);
    expect(m.huggingFaceId).toBe(hf);
    expect(m.contextTokens).toBe(context);
    expect(m.name).toBe(`gemma3-${size}`);
    expect(m.gated).toBe(true);
  });

  test('sizes are ordered and parameter counts grow with them', () => {
    const counts = Model.gemma3Sizes().map((s) => Model.gemma3(s).parameterCount);
    expect(Model.gemma3Sizes()).toEqual(['270m', '1b', '4b', '12b', '27b']);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  });

  test('unknown size is a ValidationError listing the sizes', () => {
    expect(() => Model.gemma3('3b' as never)).toThrow(
      '[UNKNOWN_MODEL] Model.gemma3: size = "3b" is invalid; allowed: one of: 270m, 1b, 4b, 12b, 27b');
  });

  test('fromOllamaTag finds a catalog model and rejects others', () => {
    expect(Model.fromOllamaTag('gemma3:4b').size).toBe('4b');
    expect(() => Model.fromOllamaTag('llama9:1t')).toThrow(ValidationError);
  });

  test('weight bytes per precision', () => {
    const m = Model.gemma3('4b');
    expect(m.weightBytes(Precision.BF16)).toBe(m.parameterCount * 2);
    expect(m.weightBytes(Precision.FP8)).toBe(m.parameterCount);
    expect(m.weightBytes(Precision.INT4)).toBe(m.parameterCount / 2);
    expect(m.weightBytes(Precision.OLLAMA_DEFAULT)).toBe(3.3e9);
  });

  test('required memory = weights x 1.2 + 1 GiB', () => {
    const m = Model.gemma3('27b');
    expect(m.requiredAcceleratorMemoryBytes(Precision.BF16)).toBe(Math.ceil(m.parameterCount * 2 * 1.2 + 1024 ** 3));
  });

  test('a model without an Ollama tag has no OLLAMA_DEFAULT precision', () => {
    const m = Model.custom({ family: 'x', size: '1b', huggingFaceId: 'org/x-1b', parameterCount: 1e9, contextTokens: 4096 });
    expect(() => m.weightBytes(Precision.OLLAMA_DEFAULT)).toThrow(/has no Ollama tag/);
    expect(m.gated).toBe(false);
  });

  test('custom validates its numbers', () => {
    const base = { family: 'x', size: '1b', huggingFaceId: 'org/x', parameterCount: 1e9, contextTokens: 4096 };
    expect(() => Model.custom({ ...base, parameterCount: 0 })).toThrow(/parameterCount = 0/);
    expect(() => Model.custom({ ...base, contextTokens: 1.5 })).toThrow(/contextTokens = 1.5/);
    expect(() => Model.custom({ ...base, ollamaTag: 'x:1b' })).toThrow(/ollamaWeightBytes = undefined/);
    expect(Model.custom({ ...base, ollamaTag: 'x:1b', ollamaWeightBytes: 1e9 }).ollamaTag).toBe('x:1b');
  });

  test('Llama 3.1 8B Instruct', () => {
    const m = Model.llama31_8bInstruct();
    expect(m.huggingFaceId).toBe('meta-llama/Llama-3.1-8B-Instruct');
    expect(m.weightBytes(Precision.BF16)).toBeGreaterThan(16e9);
  });
});
