#!/usr/bin/env bash
# The import-layer rule of STYLE.md: proving ← core ← sdk ← host ← host/cmd; nothing
# imports plugins/* or backends/* but their own packages; proving/stark reaches FRI and
# Merkle trees only through the pcs and kernel interfaces. Checks every package's direct imports.
set -euo pipefail
mod=github.com/oneiros-zk/oneiros
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
done < <(go list -f '{{.ImportPath}} {{join .Imports " "}}' "$mod/...")
exit $bad
