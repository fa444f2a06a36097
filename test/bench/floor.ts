/**
 * The benchmark floor: loads exactly the modules a real app loaded (list in argv[2]) and synthesizes
 * an empty stack with the same toolkit (argv[3]: aws-cdk | cdktf). The difference between an app and
 * its floor is what our constructs cost.
 */
import * as fs from 'fs';

const [listFile, toolkit] = process.argv.slice(2);
for (const file of JSON.parse(fs.readFileSync(listFile, 'utf8')) as string[]) {
  try {
    require(file);
  } catch {
    // Some files (ESM-only chunks, JSON loaded by a loader) cannot be required directly: skip them.
  }
}
if (toolkit === 'aws-cdk') {
  const cdk = require('aws-cdk-lib');
  const app = new cdk.App();
  new cdk.Stack(app, 'Floor');
  app.synth();
} else {
  const tf = require('cdktf');
  const app = new tf.App();
  new tf.TerraformStack(app, 'floor');
  app.synth();
}
