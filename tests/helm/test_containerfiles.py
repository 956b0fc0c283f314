"""containers/<binary>.Containerfile: one per binary, multi-stage, the final
stage gets nothing from the build stage but the binary."""
import pathlib
import re

import pytest

from helm_support import BINARIES, PORTS, ROOT

CONTAINERS = ROOT / "containers"
RUNTIME_LIBS = {"libcivetweb1", "libjansson4", "libcurl4", "libpq5", "libsqlite3-0"}
# The MCP servers seal 2026-07-28 requestState with HMAC-SHA256 (libcrypto).
MCP_RUNTIME_LIBS = RUNTIME_LIBS | {"libssl3"}


def runtime_libs(binary):
    return MCP_RUNTIME_LIBS if binary.endswith("-mcp") else RUNTIME_LIBS


def instructions(text):
    """(INSTRUCTION, args) with continuation lines joined, comments dropped."""
    out, buf = [], ""
    for line in text.splitlines():
        s = line.strip()
        if not buf and (not s or s.startswith("#")):
            continue
        if s.startswith("#"):
            continue
        if s.endswith("\\"):
            buf += s[:-1] + " "
            continue
        buf += s
        word, _, rest = buf.partition(" ")
        out.append((word.upper(), rest.strip()))
        buf = ""
    return out


def stages(text):
    out = []
    for ins, args in instructions(text):
        if ins == "FROM":
            out.append({"from": args, "ins": []})
        else:
            out[-1]["ins"].append((ins, args))
    return out


def check(binary, text):
    """Problems of one Containerfile (empty: fine)."""
    bad = []
    st = stages(text)
    if len(st) < 2:
        return ["not multi-stage"]
    build, final = st[0], st[-1]
    if not re.match(r"(docker\.io/(library/)?)?debian:12 AS build$", build["from"], re.I):
        bad.append("build stage is not debian:12: " + build["from"])
    if not re.match(r"(docker\.io/(library/)?)?debian:12-slim$", final["from"]):
        bad.append("final stage is not debian:12-slim: " + final["from"])
    build_runs = " ".join(a for i, a in build["ins"] if i == "RUN")
    if "--target %s" % binary not in build_runs:
        bad.append("does not build --target " + binary)
    if "-DCMAKE_BUILD_TYPE=Release" not in build_runs:
        bad.append("not a Release build")
    copies = [a for i, a in final["ins"] if i in ("COPY", "ADD")]
    for a in copies:
        m = re.match(r"--from=build\s+(\S+)\s+(\S+)$", a)
        if not m:
            bad.append("final stage copies something else: " + a)
        elif not m.group(1).endswith("/build/bin/" + binary) and m.group(1) != "build/bin/" + binary:
            bad.append("final stage copies more than the binary: " + a)
    if not copies:
        bad.append("final stage copies no binary")
    users = [a for i, a in final["ins"] if i == "USER"]
    if users != ["1001"]:
        bad.append("final USER is %s, not 1001" % users)
    entry = [a for i, a in final["ins"] if i in ("ENTRYPOINT", "CMD")]
    if not entry or binary not in entry[0]:
        bad.append("entrypoint does not run " + binary)
    final_runs = " ".join(a for i, a in final["ins"] if i == "RUN")
    m = re.search(r"apt-get install ([^&]*)", final_runs)
    pkgs = {w for w in (m.group(1).split() if m else []) if not w.startswith("-")}
    need = runtime_libs(binary)
    if not need <= pkgs:
        bad.append("runtime lacks %s" % sorted(need - pkgs))
    if pkgs - need - {"ca-certificates"}:
        bad.append("runtime installs more: %s" % sorted(pkgs - need - {"ca-certificates"}))
    if "--no-install-recommends" not in final_runs:
        bad.append("runtime pulls in recommended packages")
    env = " ".join(a for i, a in final["ins"] if i == "ENV")
    if "HOST=0.0.0.0" not in env or "PORT=%d" % PORTS[binary] not in env:
        bad.append("HOST/PORT defaults missing")
    return bad


def test_one_containerfile_per_binary():
    files = sorted(p.name for p in CONTAINERS.glob("*.Containerfile"))
    assert files == sorted(b + ".Containerfile" for b in BINARIES)


@pytest.mark.parametrize("binary", BINARIES)
def test_containerfile(binary):
    text = (CONTAINERS / (binary + ".Containerfile")).read_text()
    assert check(binary, text) == []
    # it names its own binary and no other
    for other in BINARIES:
        if other != binary:
            assert not re.search(r"\b%s\b" % re.escape(other), text), other


def test_check_catches_a_leaky_final_stage():
    text = (CONTAINERS / "customer-api.Containerfile").read_text()
    leaky = text.replace("COPY --from=build /src/build/bin/customer-api /usr/local/bin/customer-api",
                         "COPY --from=build /src/build /opt/build")
    assert leaky != text
    assert any("copies more" in b for b in check("customer-api", leaky))
    assert any("copies something else" in b for b in check("customer-api", text.replace("USER 1001", "COPY . /src\nUSER 1001")))
    assert any("USER" in b for b in check("customer-api", text.replace("USER 1001", "USER root")))
    assert any("installs more" in b for b in check("customer-api", text.replace("libsqlite3-0", "libsqlite3-0 build-essential")))


def test_ignore_file_keeps_caches_out_of_the_context():
    lines = (CONTAINERS / "containerignore").read_text().split()
    assert {".git", ".cache", "build"} <= set(lines)
