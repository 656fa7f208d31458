#!/usr/bin/env bash
# Checks the deployment artefacts without a Kubernetes cluster or a Docker engine:
#   * lints the Dockerfile with hadolint;
#   * lints and renders the Helm chart with the real helm binary under many sets of values and
#     checks the rendered objects, validating the core kinds against Kubernetes' strict schemas;
#   * checks the compose file with `docker compose config` (no engine needed);
#   * cross-checks the Dockerfile, compose file and chart against the built binaries (their
#     --help and their shared libraries) when they are built (scripts/test.sh builds them first).
# The tools are installed once and cached by scripts/ops/install-tool.sh. Override any of them
# with EVENTWIRE_HELM, EVENTWIRE_HADOLINT, EVENTWIRE_COMPOSE (paths to your own binaries).
# Arguments are passed to check_deploy.py to run only the checks whose name contains them.
set -euo pipefail
cd "$(dirname "$0")/../.."

install() { scripts/ops/install-tool.sh "$1"; }

HELM="${EVENTWIRE_HELM:-$(install helm)}"
HADOLINT="${EVENTWIRE_HADOLINT:-$(install hadolint)}"
COMPOSE="${EVENTWIRE_COMPOSE:-$(install compose)}"
K8S_SCHEMAS="$(install k8s-schemas)"
pydeps="$(install pydeps)"
export HELM COMPOSE K8S_SCHEMAS
if [ -n "$pydeps" ]; then
  export PYTHONPATH="$pydeps${PYTHONPATH:+:$PYTHONPATH}"
fi

echo "helm: $("$HELM" version --short); hadolint: $("$HADOLINT" --version); compose: $("$COMPOSE" version --short)"

echo "hadolint Dockerfile"
"$HADOLINT" --failure-threshold info Dockerfile
echo "ok   Dockerfile: hadolint (no findings)"

python3 scripts/ops/check_deploy.py "$@"
