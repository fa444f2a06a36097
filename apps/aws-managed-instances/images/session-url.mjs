// Prints postgresql://user:password@host:port/db from the Secrets Manager secret of the session database
// (SESSION_DB_SECRET_ARN), read through the local SigV4 proxy on 127.0.0.1:8082. No dependencies.
const secretId = process.env.SESSION_DB_SECRET_ARN;
const database = process.env.SESSION_DB_NAME || 'postgres';

async function getSecret(attempt = 0) {
  try {
    const res = await fetch('http://127.0.0.1:8082/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: secretId }),
    });
    if (!res.ok) throw new Error(`GetSecretValue: HTTP ${res.status} ${await res.text()}`);
    return JSON.parse((await res.json()).SecretString);
  } catch (e) {
    if (attempt >= 20) throw e; // the proxy may still be starting
    await new Promise((r) => setTimeout(r, 250));
    return getSecret(attempt + 1);
  }
}

const s = await getSecret();
const enc = encodeURIComponent;
process.stdout.write(`postgresql://${enc(s.username)}:${enc(s.password)}@${s.host}:${s.port}/${enc(s.dbname || database)}`);
