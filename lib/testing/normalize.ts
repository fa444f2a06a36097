/** 64 hex digits: an asset hash (S3 object keys, image tags, staging directories). */
const ASSET_HASH = /[a-f0-9]{64}/g;

/**
 * Normalizes a synthesized document for snapshots, so they are the same on every machine and across
 * toolkit patch releases: asset hashes become `<asset-hash>`; the working directory becomes `<cwd>`
 * (cdktf writes absolute local-state paths into cross-stack `terraform_remote_state`); the
 * bootstrap-version parameter and rule
 * of aws-cdk's default synthesizer and the toolkit version stamp in cdktf's `//` metadata are removed.
 */
export function normalizeSynthesized(doc: Record<string, any>, cwd: string = process.cwd()): Record<string, any> {
  const cwdInJson = JSON.stringify(cwd).slice(1, -1);
  const text = JSON.stringify(doc).replace(ASSET_HASH, '<asset-hash>').split(cwdInJson).join('<cwd>');
  const out = JSON.parse(text) as Record<string, any>;
  if (out.Parameters?.BootstrapVersion) {
    delete out.Parameters.BootstrapVersion;
    if (Object.keys(out.Parameters).length === 0) delete out.Parameters;
  }
  if (out.Rules?.CheckBootstrapVersion) {
    delete out.Rules.CheckBootstrapVersion;
    if (Object.keys(out.Rules).length === 0) delete out.Rules;
  }
  if (out['//']?.metadata?.version !== undefined) delete out['//'].metadata.version;
  return out;
}
