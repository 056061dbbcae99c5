#!/usr/bin/env bash
# The import-layer rule of STYLE.md: proving ← core ← sdk ← host ← host/cmd; nothing
# imports plugins/* or backends/* but their own packages; proving/stark reaches FRI and
# Merkle trees only through the pcs and kernel interfaces. Checks every package's direct imports.
set -euo pipefail
trap 'echo "check-imports: failed at line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR
mod=github.com/oneiros-zk/oneiros
cd "$(dirname "$0")/.."
# The package list first, so that a go list failure stops the check loudly instead of
# leaving the loop below with nothing to read (a silent pass).
errs=$(mktemp)
trap 'rm -f "$errs"' EXIT
if ! pkgs=$(go list -f '{{.ImportPath}} {{join .Imports " "}}' "$mod/..." 2>"$errs"); then
  echo "check-imports: go list $mod/... failed:" >&2
  cat "$errs" >&2
  exit 1
fi
if ! grep -q "^$mod/proving/stark " <<<"$pkgs"; then
  echo "check-imports: go list $mod/... did not list the module's packages (run from the repository):" >&2
  cat "$errs" >&2
  exit 1
fi
bad=0
while read -r pkg imports; do
  rel=${pkg#"$mod"/}
  for imp in $imports; do
    case $imp in "$mod"/*) ;; *) continue ;; esac
    dep=${imp#"$mod"/}
    why=""
    [[ $dep == configs ]] && continue # the embedded defaults serve every layer
    case $rel in
      proving/*) case $dep in proving/*) ;; *) why="proving may import only proving" ;; esac ;;
      core/*)    case $dep in proving/*|core/*) ;; *) why="core may import only proving and core" ;; esac ;;
      sdk/*)     case $dep in proving/*|core/*|sdk/*) ;; *) why="sdk may import only proving, core and sdk" ;; esac ;;
    esac
    case $dep in plugins/*|backends/*|templates/*)
      # ... except a plugin's or backend's own packages (backends/cuda → backends/cuda/icicle).
      own=$(cut -d/ -f1-2 <<<"$rel")
      [[ $dep == "$own" || $dep == "$own"/* ]] || why="nothing imports plugins or backends (they are found at run time)" ;;
    esac
    if [[ $rel == proving/stark && ( $dep == proving/fri* || $dep == proving/merkle* ) ]]; then
      why="proving/stark depends on the pcs and kernel interfaces, not on fri or merkle"
    fi
    if [[ -n $why ]]; then
      echo "import-layer violation: $rel imports $dep: $why"
      bad=1
    fi
  done
done <<<"$pkgs"
[[ $bad == 0 ]] || echo "check-imports: import-layer violations above (STYLE.md, \"Dependencies point down\")" >&2
exit $bad
