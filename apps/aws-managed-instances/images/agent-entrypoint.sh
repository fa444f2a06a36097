#!/bin/sh
# Start-up of the agent on Lambda Managed Instances (see agent.Dockerfile):
# 1. a SigV4 proxy on 127.0.0.1:8081 that signs for the model's Function URL (service "lambda");
# 2. the session database URL, built from the Secrets Manager secret through a second, short-lived proxy;
# 3. the agent server ($AGENT_COMMAND), which the Lambda Web Adapter reaches on $PORT.
set -eu
: "${AWS_REGION:?}" "${MODEL_FUNCTION_URL:?}"
model_host=${MODEL_FUNCTION_URL#https://}
model_host=${model_host%%/*}
aws-sigv4-proxy --name lambda --region "$AWS_REGION" --host "$model_host" --port 127.0.0.1:8081 &

if [ -n "${SESSION_DB_SECRET_ARN:-}" ] && [ -z "${SESSION_DB_URL:-}" ]; then
  aws-sigv4-proxy --name secretsmanager --region "$AWS_REGION" \
    --host "secretsmanager.$AWS_REGION.amazonaws.com" --port 127.0.0.1:8082 &
  secrets_proxy=$!
  SESSION_DB_URL=$(node /opt/gemma-lambda/session-url.mjs)
  export SESSION_DB_URL
  kill "$secrets_proxy" 2>/dev/null || true
fi

exec /bin/sh -c "exec $AGENT_COMMAND"
