/**
 * Entry point that cdktf.json names: composes every cdktf sample stack. Synthesizes with no
 * credentials and no terraform binary: `npm run synth:cdktf`, output in cdktf.out/.
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Accelerator, Model, ModelServingSpec } from '../lib';
import { addGkeJetstreamHpaApp, GKE_JETSTREAM_HPA_APP } from './gke-jetstream-hpa';

const app = new App();

const spec = new ModelServingSpec({
  model: Model.gemma3('270m'),
  accelerator: Accelerator.nvidiaL4(),
  concurrency: 4,
  maxReplicas: 3,
});
const stack = new TerraformStack(app, 'gemma-serving-plan');
new TerraformOutput(stack, 'model', { value: spec.model.ollamaTag });
new TerraformOutput(stack, 'max_gpus', { value: spec.maxAccelerators });

/** True when `name` is selected by SAMPLE_APPS (comma-separated; unset = every app). */
const selected = (name: string): boolean => !process.env.SAMPLE_APPS ||
  process.env.SAMPLE_APPS.split(',').map((s) => s.trim()).includes(name);
if (selected(GKE_JETSTREAM_HPA_APP)) addGkeJetstreamHpaApp(app);

app.synth();
