#!/usr/bin/env bash
# Builds the two images of the AWS Lambda Managed Instances app, pushes them to ECR and prints the deploy
# command. Needs Docker (with buildx for the arm64 agent image on an x86 host), the AWS CLI and credentials.
#
#   apps/aws-managed-instances/build-images.sh [tag]
#
# Environment: AWS_REGION (required), AWS_ACCOUNT_ID (default: from sts get-caller-identity),
# MODEL_REPO (default gemma-model-lambda), AGENT_REPO (default gemma-agent-lambda).
set -euo pipefail
cd "$(dirname "$0")/../.."
tag=${1:-$(git rev-parse --short HEAD)}
region=${AWS_REGION:?set AWS_REGION}
account=${AWS_ACCOUNT_ID:-$(aws sts get-caller-identity --query Account --output text)}
registry="$account.dkr.ecr.$region.amazonaws.com"
model_repo=${MODEL_REPO:-gemma-model-lambda}
agent_repo=${AGENT_REPO:-gemma-agent-lambda}

for repo in "$model_repo" "$agent_repo"; do
  aws ecr describe-repositories --region "$region" --repository-names "$repo" >/dev/null 2>&1 ||
    aws ecr create-repository --region "$region" --repository-name "$repo" \
      --image-scanning-configuration scanOnPush=true --image-tag-mutability IMMUTABLE >/dev/null
done
aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry"

# Model: Ollama backend + Lambda Web Adapter, x86_64.
docker build --platform linux/amd64 -t gemma-ollama-backend:local \
  -f apps/gemma-agent/ollama-backend/Dockerfile apps/gemma-agent/ollama-backend
docker build --platform linux/amd64 --provenance=false --build-arg BASE_IMAGE=gemma-ollama-backend:local \
  -t "$registry/$model_repo:$tag" -f apps/aws-managed-instances/images/model.Dockerfile apps/aws-managed-instances/images

# Agent: ADK agent server + Lambda Web Adapter + SigV4 proxy, arm64.
docker build --platform linux/arm64 -t gemma-agent:local -f apps/gemma-agent/agent/Dockerfile .
agent_command=$(docker inspect -f '{{join .Config.Entrypoint " "}} {{join .Config.Cmd " "}}' gemma-agent:local)
docker build --platform linux/arm64 --provenance=false --build-arg BASE_IMAGE=gemma-agent:local \
  --build-arg AGENT_COMMAND="$agent_command" \
  -t "$registry/$agent_repo:$tag" -f apps/aws-managed-instances/images/agent.Dockerfile apps/aws-managed-instances/images

docker push "$registry/$model_repo:$tag"
docker push "$registry/$agent_repo:$tag"

echo
echo "Deploy with:"
echo "  npx cdk deploy GemmaAgentManagedInstances -c modelImageUri=$registry/$model_repo:$tag -c agentImageUri=$registry/$agent_repo:$tag"
