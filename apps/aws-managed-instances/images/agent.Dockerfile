# The agent image of the AWS Lambda Managed Instances app: the ADK agent server of apps/gemma-agent
# (apps/gemma-agent/agent/Dockerfile, listening on $PORT) fronted by the AWS Lambda Web Adapter, plus
# aws-sigv4-proxy, which signs the agent's Ollama calls for the model's IAM-only Function URL and reads the
# session database secret from Secrets Manager at start-up (no password in the function's environment).
#
# Build (arm64: the agent runs on a Graviton provider), from the repository root:
#   docker build --platform linux/arm64 -t gemma-agent:local -f apps/gemma-agent/agent/Dockerfile .
#   docker build --platform linux/arm64 --build-arg BASE_IMAGE=gemma-agent:local \
#     --build-arg AGENT_COMMAND="$(docker inspect -f '{{join .Config.Entrypoint " "}} {{join .Config.Cmd " "}}' gemma-agent:local)" \
#     -t gemma-agent-lambda:local -f apps/aws-managed-instances/images/agent.Dockerfile apps/aws-managed-instances/images
# or run apps/aws-managed-instances/build-images.sh, which also pushes to ECR.
ARG BASE_IMAGE=gemma-agent:local
ARG LWA_IMAGE=public.ecr.aws/awsguru/aws-lambda-adapter:1.0.1
ARG SIGV4_PROXY_IMAGE=public.ecr.aws/aws-observability/aws-sigv4-proxy:latest
FROM ${LWA_IMAGE} AS lwa
FROM ${SIGV4_PROXY_IMAGE} AS sigv4

FROM ${BASE_IMAGE}
# The base image's command (setting ENTRYPOINT below resets the inherited CMD).
ARG AGENT_COMMAND="node main.js"
COPY --from=lwa /lambda-adapter /opt/extensions/lambda-adapter
COPY --from=sigv4 /aws-sigv4-proxy /usr/local/bin/aws-sigv4-proxy
COPY agent-entrypoint.sh session-url.mjs /opt/gemma-lambda/
ENV AGENT_COMMAND=${AGENT_COMMAND} \
    AWS_LWA_PORT=8080 \
    AWS_LWA_READINESS_CHECK_PATH=/health
ENTRYPOINT ["/bin/sh", "/opt/gemma-lambda/agent-entrypoint.sh"]
