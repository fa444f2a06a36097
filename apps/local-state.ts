import { App } from 'cdktf';
import { LocalBackend, TerraformStack } from '../lib/tf';

/**
 * Gives every stack of `app` a local state file at the repository root, by a path relative to the
 * stack's directory (`cdktf.out/stacks/<stack>/`). cdktf's default writes the absolute path of the
 * directory `cdktf synth` ran in, which makes the synthesized JSON differ between machines. Teams
 * should configure a remote backend (e.g. GCS) instead; a stack that already has one is left alone.
 */
export function useRelativeLocalState(app: App): void {
  for (const child of app.node.children) {
    if (!TerraformStack.isStack(child)) continue;
    const hasBackend = child.node.children.some((c) => c.node.id === 'backend');
    if (!hasBackend) new LocalBackend(child, { path: `../../../terraform.${child.node.id}.tfstate` });
  }
}
