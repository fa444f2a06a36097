# The model image of the AWS Lambda Managed Instances app: the Ollama backend of apps/gemma-agent
# (apps/gemma-agent/ollama-backend/Dockerfile, Gemma baked in, listening on 8080) fronted by the
# AWS Lambda Web Adapter, which turns Lambda invocations (Function URL events) into HTTP requests.
#
# Build (x86_64: GPU functions run on x86_64 only), from the repository root:
#   docker build --platform linux/amd64 -t gemma-ollama-backend:local -f apps/gemma-agent/ollama-backend/Dockerfile apps/gemma-agent/ollama-backend
#   docker build --platform linux/amd64 --build-arg BASE_IMAGE=gemma-ollama-backend:local \
#     -t gemma-model-lambda:local -f apps/aws-managed-instances/images/model.Dockerfile apps/aws-managed-instances/images
# or run apps/aws-managed-instances/build-images.sh, which also pushes to ECR.
#
# Lambda Web Adapter 0.9.1 crashes on Lambda Managed Instances (aws/aws-lambda-web-adapter#623); support landed
# in #625 (2026-01-07). 1.0.1 is the version in the adapter's Cargo.toml after that change.
ARG BASE_IMAGE=gemma-ollama-backend:local
ARG LWA_IMAGE=public.ecr.aws/awsguru/aws-lambda-adapter:1.0.1
FROM ${LWA_IMAGE} AS lwa

FROM ${BASE_IMAGE}
COPY --from=lwa /lambda-adapter /opt/extensions/lambda-adapter
# Lambda's file system is read-only except /tmp: Ollama keeps its key under $HOME.
ENV HOME=/tmp \
    AWS_LWA_PORT=8080 \
    AWS_LWA_READINESS_CHECK_PATH=/ \
    AWS_LWA_ASYNC_INIT=true
