/**
 * Jest snapshot serializer that blanks values which change without a behaviour change: asset hashes
 * (64 hex digits, as in `<hash>.zip` S3 keys and image tags) and the cdktf/aws-cdk version stamps.
 */
const ASSET_HASH = /[a-f0-9]{64}/g;

const serializer: import('pretty-format').Plugin = {
  test: (val: unknown) => typeof val === 'string' && new RegExp(ASSET_HASH.source).test(val),
  serialize: (val: string, config, indentation, depth, refs, printer) =>
    printer(val.replace(ASSET_HASH, '<asset-hash>'), config, indentation, depth, refs),
};

module.exports = serializer;
