#!/usr/bin/env bash
# Chart tests: lint, render, schema-validate and check the Helm charts in
# helm/ and the Containerfiles in containers/ (pytest tests/helm).
#
# Installs, once, into <repo>/.cache (skipped when already there):
#   helm v3.16.4, built from source with the local Go into .cache/bin
#   kubernetes-validate, pytest, PyYAML into the venv .cache/venv-helm
# Extra arguments go to pytest (e.g. -k schema).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HELM_VERSION=v3.16.4
# helm v3.16 is built against Kubernetes 1.31 (client-go v0.31); its release
# binaries default `helm template` to that version, so ours does too.
K8S_MINOR=31
BIN=$ROOT/.cache/bin
VENV=$ROOT/.cache/venv-helm
PY_REQS="kubernetes-validate==1.37.0 pytest==9.2.0 PyYAML==6.0.3"
PYTHON=${FANTACO_PYTHON:-$HOME/.pyenv/versions/3.12.1/bin/python}
[ -x "$PYTHON" ] || PYTHON=$(command -v python3)

if [ "$("$BIN/helm" version --template '{{.Version}}' 2>/dev/null || true)" != "$HELM_VERSION" ]; then
    command -v go >/dev/null || { echo "test-helm: Go is needed to build helm" >&2; exit 1; }
    echo "test-helm: building helm $HELM_VERSION with $(go version)"
    pkg=helm.sh/helm/v3
    GOBIN=$BIN GOFLAGS=-mod=mod go install -ldflags "-s -w \
        -X $pkg/internal/version.version=$HELM_VERSION \
        -X $pkg/internal/version.gitTreeState=clean \
        -X $pkg/pkg/lint/rules.k8sVersionMajor=1 -X $pkg/pkg/lint/rules.k8sVersionMinor=$K8S_MINOR \
        -X $pkg/pkg/chartutil.k8sVersionMajor=1 -X $pkg/pkg/chartutil.k8sVersionMinor=$K8S_MINOR" \
        "$pkg/cmd/helm@$HELM_VERSION"
fi

if [ "$(cat "$VENV/.requirements" 2>/dev/null || true)" != "$PY_REQS" ]; then
    echo "test-helm: creating $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    # shellcheck disable=SC2086
    "$VENV/bin/pip" install --quiet --disable-pip-version-check $PY_REQS
    echo "$PY_REQS" > "$VENV/.requirements"
fi

export HELM=$BIN/helm
cd "$ROOT"
exec "$VENV/bin/python" -m pytest tests/helm -q -p no:cacheprovider -rfE "$@"
