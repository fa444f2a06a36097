import { DataResource, TerraformStack, Testing } from 'cdktf';
import { TerraformData, TfTemplate } from '../../lib/tf';

describe('TerraformData', () => {
  test('renders terraform_data exactly as cdktf DataResource does', () => {
    const config = {
      triggersReplace: { url: 'https://example.com/v1.0.0/crd.yaml' }, input: { a: 'b' },
      provisioners: [{ type: 'local-exec' as const, command: 'echo hi' }],
    };
    const ours = TfTemplate.synthScope((s) => { new TerraformData(s, 'Resource', config); });
    const theirs = TfTemplate.synthScope((s) => { new DataResource(s, 'Resource', config); });
    expect(ours.toJSON().resource).toEqual(theirs.toJSON().resource);
    expect(ours.resource('terraform_data').config).toMatchObject({
      triggers_replace: { url: 'https://example.com/v1.0.0/crd.yaml' }, input: { a: 'b' },
      provisioner: [{ 'local-exec': { command: 'echo hi' } }],
    });
  });

  test('adds no synth-time validation (no terraform binary is consulted)', () => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    const data = new TerraformData(stack, 'Resource');
    expect(data.node.validate()).toEqual([]);
    expect(new DataResource(stack, 'Theirs').node.validate().length).toBeLessThanOrEqual(1);
    expect(data.id).toMatch(/TfToken/);
  });
});
