// Preloaded with `node -r`: when the process exits, writes every loaded file under node_modules to
// $BENCH_MODULES_OUT, so the floor can load exactly the same libraries.
const fs = require('fs');
process.on('exit', () => {
  const out = process.env.BENCH_MODULES_OUT;
  if (!out) return;
  const files = Object.keys(require.cache).filter((f) => /[\\/]node_modules[\\/]/.test(f));
  fs.writeFileSync(out, JSON.stringify(files));
});
