"""helm lint --strict on every chart; every template exists once (the
library chart), reached by the stages through committed symbolic links."""
import os
import pathlib
import re
import subprocess

import pytest
import yaml

from helm_support import CHARTS, HELM_DIR, LIBRARY, ROOT, STAGES, helm_binary, run_helm


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_lint_strict(chart):
    proc = run_helm("lint", "--strict", str(CHARTS[chart]), check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 chart(s) failed" in proc.stdout


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_lint_strict_openshift(chart):
    """The OpenShift branches (Routes, no fixed UIDs) lint cleanly too."""
    proc = run_helm("lint", "--strict", str(CHARTS[chart]), "--set", "global.platform=openshift",
                    "--set", "global.expose.type=route", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def defines():
    """(name, file) of every named template in helm/, symbolic links not followed."""
    out = []
    for path in sorted(HELM_DIR.rglob("*")):
        if any(part.is_symlink() for part in [path, *path.parents]) or not path.is_file():
            continue
        if path.suffix in (".tpl", ".yaml", ".txt"):
            for m in re.finditer(r'{{-?\s*define\s+"([^"]+)"', path.read_text()):
                out.append((m.group(1), path.relative_to(HELM_DIR)))
    return out


def test_every_template_is_defined_once():
    """No copies: each named template lives in exactly one file."""
    found = defines()
    assert len(found) > 30, found  # the walk really saw the templates
    seen = {}
    for name, path in found:
        assert name not in seen, "%s defined in %s and %s" % (name, seen[name], path)
        seen[name] = path
    assert all(str(p).startswith("fantaco-lib/") for n, p in found if n.startswith("fantaco."))


def test_stages_reach_the_library_through_a_tracked_symlink():
    """Each stage's charts/fantaco-lib (and each umbrella charts/ entry) is a
    symbolic link committed to git, so a fresh clone installs with no
    `helm dependency` step (helm loads charts/ and follows the link)."""
    links = {"fantaco-%s/charts/fantaco-lib" % s: "../../fantaco-lib" for s in STAGES}
    links.update({"fantaco/charts/fantaco-%s" % s: "../../fantaco-%s" % s for s in STAGES})
    for rel, target in links.items():
        path = HELM_DIR / rel
        assert path.is_symlink() and os.readlink(path) == target, rel
        proc = subprocess.run(["git", "ls-files", "-s", "--", "helm/" + rel], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        assert proc.stdout.startswith("120000 "), "helm/%s is not committed as a symbolic link: %r" % (rel, proc.stdout)
        assert yaml.safe_load((path / "Chart.yaml").read_text())["name"] == pathlib.Path(target).name
    assert yaml.safe_load((LIBRARY / "Chart.yaml").read_text())["type"] == "library"
    assert not (HELM_DIR / "hack").exists() and not (HELM_DIR / "lib").exists()


def test_umbrella_has_the_three_stages():
    chart = yaml.safe_load((CHARTS["fantaco"] / "Chart.yaml").read_text())
    deps = {d["alias"]: d for d in chart["dependencies"]}
    assert set(deps) == {"app", "mcp", "agent"}
    for alias, dep in deps.items():
        assert dep["condition"] == alias + ".enabled"
        assert dep["name"] == "fantaco-" + alias
        sub = yaml.safe_load((CHARTS[alias] / "Chart.yaml").read_text())
        assert sub["name"] == dep["name"] and sub["version"] == dep["version"]
        lib = {d["name"]: d for d in sub["dependencies"]}["fantaco-lib"]
        assert lib["version"] == yaml.safe_load((LIBRARY / "Chart.yaml").read_text())["version"]


def test_lab_commands_work_in_a_fresh_clone(tmp_path):
    """`helm install fantaco-app ./helm/fantaco-app` (here: helm template,
    the same loading and dependency check without a cluster) from a fresh
    clone of the committed tree, with no `helm dependency` step."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True,
                   capture_output=True, text=True)
    helm = helm_binary()
    helm = os.path.abspath(helm) if os.sep in helm else helm
    for chart in ("fantaco-app", "fantaco-mcp", "fantaco-agent", "fantaco"):
        proc = subprocess.run([helm, "template", chart, "./helm/" + chart],
                              cwd=clone, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, (chart, proc.stderr)
        kinds = [line for line in proc.stdout.splitlines() if line.startswith("kind: Deployment")]
        assert kinds, chart
