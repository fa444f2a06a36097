/**
 * Entry point that cdk.json names: composes every AWS CDK sample stack. Synthesizes with no
 * credentials: `npm run synth:aws` (pinned aws-cdk CLI), output in cdk.out/.
 */
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Accelerator, Model, ModelServingSpec } from '../lib';

const app = new App();

// Foundation: the serving plan of the reference Gemma backend, as the AWS adapter will consume it.
const spec = new ModelServingSpec({
  model: Model.gemma3('270m'),
  accelerator: Accelerator.nvidiaL4(),
  concurrency: 4,
  maxReplicas: 3,
});
const stack = new Stack(app, 'GemmaServingPlan', {
  description: 'cdk-gpu-inference: the Gemma serving plan (model, accelerator, GPU budget)',
});
new StringParameter(stack, 'ServingPlan', {
  parameterName: '/cdk-gpu-inference/gemma/serving-plan',
  description: 'Model, accelerator and GPU budget of the Gemma backend',
  stringValue: JSON.stringify({
    model: spec.model.ollamaTag, accelerator: spec.accelerator.name, concurrency: spec.concurrency,
    maxReplicas: spec.maxReplicas, maxGpus: spec.maxAccelerators,
  }),
});
new CfnOutput(stack, 'Model', { value: spec.model.ollamaTag ?? spec.model.huggingFaceId });
new CfnOutput(stack, 'MaxGpus', { value: String(spec.maxAccelerators) });

app.synth();
