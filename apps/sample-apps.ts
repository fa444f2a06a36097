/**
 * Which sample apps an entry point synthesizes: `SAMPLE_APPS` is a comma-separated list of app names;
 * unset or empty selects every app.
 */
export function sampleAppWanted(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const selected = (env.SAMPLE_APPS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return selected.length === 0 || selected.includes(name);
}
