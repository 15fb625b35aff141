#!/bin/bash
# check.sh LAYERS SRC [ARCHIVE] [PUBLIC_HEADER]: the architecture of the
# library's sources in SRC, as the file LAYERS writes it down.
#
# - Every source sits in a folder LAYERS names, every .c has a header of the
#   same name beside it, and no two files share a name.
# - A file includes headers of its own folder and of the folders LAYERS
#   allows it ("folder/name.h"), which sit lower; LAYERS names only lower
#   folders, so folders cannot form a circle.
# - No files form a circle: a module (name.c with name.h) depends on another
#   when it includes the other's header, and, with ARCHIVE (the static
#   library built from SRC), when it uses a symbol the other's object
#   defines, which also catches a declaration kept in a third header. Either graph must
#   have no loop and obey the folders' order.
# - With PUBLIC_HEADER: every global symbol begins with kb_ and is declared
#   there, or begins with kbi_.
# Prints one line per breach and exits 1 if there is any.
set -u
layers=${1:?usage: check.sh LAYERS SRC [ARCHIVE] [PUBLIC_HEADER]}
src=${2:?usage: check.sh LAYERS SRC [ARCHIVE] [PUBLIC_HEADER]}
archive=${3:-}
public=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Breaches are counted in a file: some are found in a pipeline's subshell.
bad() {
    echo "check: $*" >&2
    echo >>"$tmp/breaches"
}

# --- LAYERS ---------------------------------------------------------------
declare -A allowed
[[ -f $layers ]] || {
    echo "check: $layers: no such file" >&2
    exit 1
}
lineno=0
while IFS= read -r line || [[ -n $line ]]; do
    lineno=$((lineno + 1))
    line=${line%%#*}
    [[ $line =~ ^[[:space:]]*$ ]] && continue
    if [[ ! $line =~ ^([a-z]+):([a-z ]*)$ ]]; then
        bad "$layers:$lineno: not 'folder: lower folders'"
        continue
    fi
    folder=${BASH_REMATCH[1]}
    for below in ${BASH_REMATCH[2]}; do
        [[ -n ${allowed[$below]:-} ]] ||
            bad "$layers:$lineno: $folder may include '$below', which is not a folder named above it"
    done
    allowed[$folder]=" $folder ${BASH_REMATCH[2]} "
done <"$layers"

# --- files ----------------------------------------------------------------
declare -A seen
while IFS= read -r path; do
    rel=${path#"$src"/}
    case $rel in
    */*/*)
        bad "$rel: folders do not nest"
        continue
        ;;
    */*) ;;
    *)
        bad "$rel: not in a folder"
        continue
        ;;
    esac
    folder=${rel%%/*}
    name=${rel#*/}
    [[ -n ${allowed[$folder]:-} ]] || bad "$rel: folder $folder is not in LAYERS"
    if [[ -n ${seen[$name]:-} && ${seen[$name]} != "$folder" ]]; then
        bad "$rel: the name $name is also in ${seen[$name]}/"
    fi
    seen[$name]=$folder
    if [[ $name == *.c && ! -f $src/$folder/${name%.c}.h ]]; then
        bad "$rel: no header $folder/${name%.c}.h"
    fi
done < <(find "$src" -type f | sort)

# A module's name: folder/base, for a .c, .h or .c.o path under a root.
module() {
    local rel=${1#"$2"/}
    rel=${rel%.o}
    echo "${rel%.[ch]}"
}

# Checks edges "from to" (modules) in file $1, named $2: folders in order,
# and no loop.
check_graph() {
    local edges=$1 what=$2 from to
    sort -u "$edges" | while read -r from to; do
        [[ $from == "$to" ]] && continue
        [[ ${allowed[${from%%/*}]:-} == *" ${to%%/*} "* ]] ||
            bad "$from uses $to ($what): ${from%%/*}/ may not reach ${to%%/*}/"
    done
    awk '$1 != $2' "$edges" | sort -u >"$tmp/pairs"
    if ! tsort "$tmp/pairs" >/dev/null 2>"$tmp/loop"; then
        bad "files form a circle ($what): $(grep -v 'input contains a loop' "$tmp/loop" | sed 's/^tsort: //' | tr '\n' ' ')"
    fi
}

# --- includes -------------------------------------------------------------
find "$src" -mindepth 2 -type f -name '*.[ch]' | sort >"$tmp/files"
xargs grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' <"$tmp/files" |
    sed -E 's|^'"$src"'/||; s|^([^:]*):([0-9]+):.*"([^"]*)".*|\1 \2 \3|' |
    while read -r rel lineno inc; do
        [[ $inc == kodbok.h ]] && continue
        if [[ ! $inc =~ ^[a-z]+/[a-z0-9_]+\.h$ ]]; then
            bad "$rel:$lineno: include \"$inc\" is not \"folder/name.h\""
        elif [[ ! -f $src/$inc ]]; then
            bad "$rel:$lineno: include \"$inc\": no such header"
        else
            echo "${rel%.[ch]} ${inc%.h}"
        fi
    done >"$tmp/includes"
check_graph "$tmp/includes" "#include"

# --- symbols --------------------------------------------------------------
# The archive's members are named after their sources (name.c.o); names are
# unique, so a member's folder is its source's.
if [[ -n $archive ]]; then
    for name in "${!seen[@]}"; do
        echo "$name.o ${seen[$name]}/${name%.c}"
    done | sort >"$tmp/members"
    members() { # nm -A output "ARCHIVE:MEMBER: ... SYMBOL" -> "SYMBOL module"
        sed -E 's|^[^:]*:([^:]*):.* ([^ ]+)$|\1 \2|' | sort -k1,1 |
            join - "$tmp/members" | awk '{ print $2, $3 }' | sort -k1,1
    }
    nm -A -g --defined-only "$archive" 2>/dev/null | grep -E ' [A-Z] ' | members >"$tmp/defs"
    nm -A -u "$archive" 2>/dev/null | members >"$tmp/uses"
    [[ -s $tmp/defs ]] || bad "$archive: no symbols"
    awk '{ print $1 }' "$tmp/defs" | uniq -d | while read -r s; do
        bad "symbol $s is defined twice"
    done
    join "$tmp/uses" "$tmp/defs" | awk '{ print $2, $3 }' >"$tmp/symbols"
    check_graph "$tmp/symbols" "symbols"
    if [[ -n $public ]]; then
        grep -oE '\bkb_[a-z0-9_]+' "$public" | sort -u >"$tmp/public"
        while read -r s m; do
            case $s in
            kbi_*) ;;
            kb_*)
                grep -qx -- "$s" "$tmp/public" ||
                    bad "$m defines $s: a kb_ name kodbok.h does not declare (internal names begin with kbi_)"
                ;;
            *) bad "$m defines $s: neither kb_ (public) nor kbi_ (internal)" ;;
            esac
        done <"$tmp/defs"
    fi
fi

[[ ! -s $tmp/breaches ]]
