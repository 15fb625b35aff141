#!/usr/bin/env bash
# The shells' completions (tools/completions) on the sample study: in
# bash, zsh and fish the same command lines complete to the same words:
# commands, a command's options from its --help, the project's documents,
# codes and coders where an option or argument takes them, files where
# one takes a file. And `kodbok __complete`, which they ask: the names as
# the project's own listings give them, nothing and exit 0 for a project
# that cannot be opened, exit 1 for an unknown kind.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
COMP="$SRC/tools/completions"
cd "$TMP" || exit 1
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$SRC/codebooks/vardsamverkan.yaml" >/dev/null || bad "code"
"$KODBOK" tags import "$C/tags/anna.tsv" >/dev/null 2>&1 || bad "tags import"
mkdir -p bin && ln -s "$KODBOK" bin/kodbok && ln -s "$(dirname "$KODBOK")/kodbok-full" bin/kodbok-full
export PATH="$TMP/bin:$PATH"
touch matrix-old.md matrix-new.xlsx

# __complete against the project's own lists
[ "$(kodbok __complete documents)" = "$(kodbok docs --format json | jq -r '.documents[].name' | LC_ALL=C sort)" ] && ok ||
    bad "__complete documents: $(kodbok __complete documents | head -3)"
[ "$(kodbok __complete codes)" = "$(kodbok codebook check "$SRC/codebooks/vardsamverkan.yaml" --format json |
    jq -r '.nodes[] | select(.kind == "dimension" or .kind == "theme" or .kind == "concept") | .id' | LC_ALL=C sort -u)" ] &&
    ok || bad "__complete codes: not the codebook's dimensions, themes and concepts"
[ "$(kodbok __complete coders)" = "anna" ] && ok || bad "__complete coders: $(kodbok __complete coders)"
[ "$(kodbok __complete cases | head -1)" != "" ] && ok || bad "__complete cases is empty"
out=$(kodbok -p "$TMP/none.db" __complete documents 2>&1) && [ -z "$out" ] && [ ! -e "$TMP/none.db" ] && ok ||
    bad "__complete on a missing project: '$out'"
expect_fail 1 "unknown kind 'nope'" kodbok __complete nope
kodbok --help | grep -q __complete && bad "__complete is listed in --help" || ok

# Each case: a command line (the last word is the one completed) and the
# words wanted, sorted, space-separated.
cases=(
    "kodbok ma|matrix"
    "kodbok quotes --the|--theme"
    "kodbok quotes --theme helh|helheten-viktig"
    "kodbok review --coder |anna"
    "kodbok -p $TMP/p.db show ip0|ip01 ip02 ip03 ip04 ip05 ip06 ip07 ip08 ip09"
    "kodbok tag --quote x ip01 helh|helheten-viktig"
    "kodbok feature ip1|ip10"
    "kodbok feature ip01 --quote x helh|helheten-viktig"
    "kodbok docs |mv rm"
    "kodbok docs rm ip1|ip10"
    "kodbok agree --coders bo,a|bo,anna"
    "kodbok quotes -o matrix-|matrix-new.xlsx matrix-old.md"
)
words_of() { tr ' ' '\n' | grep -v '^$' | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//'; }

# bash: COMPREPLY of _kodbok for COMP_WORDS
for c in "${cases[@]}"; do
    line=${c%%|*} want=${c#*|}
    got=$(bash -c 'source "$1"; read -ra COMP_WORDS <<<"$2"; [[ $2 == *" " ]] && COMP_WORDS+=("");
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _kodbok; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP/kodbok.bash" "$line" | words_of)
    [ "$got" = "$want" ] && ok || bad "bash: '$line' gave '$got', wanted '$want'"
done
bash -c 'source "$1"; complete -p kodbok' _ "$COMP/kodbok.bash" | grep -q -- "-F _kodbok kodbok" && ok || bad "bash: complete -p kodbok"

# zsh: _kodbok with the completion system's builtins standing in
if command -v zsh >/dev/null; then
    for c in "${cases[@]}"; do
        line=${c%%|*} want=${c#*|}
        got=$(zsh -c '
            compadd() { while [[ $# -gt 0 && $1 != -- ]]; do shift; done; shift; print -rl -- "$@"; }
            _describe() { print -rl -- ${${(P)${@[-1]}}%%:*}; }
            _files() { print -rl -- ${PREFIX}*(N); }
            compset() { return 0; }
            words=(kodbok ""); CURRENT=2; PREFIX=""
            source "$1" >/dev/null
            words=(${(z)2}); [[ $2 == *" " ]] && words+=("")
            CURRENT=$#words; PREFIX=${words[CURRENT]}
            # what compset -P "*,"  leaves before the word: --coders A,B
            lead=; [[ $PREFIX == *,* ]] && lead=${PREFIX%,*},
            _kodbok | while read -r w; do [[ $w == ${PREFIX##*,}* ]] && print -r -- "$lead$w"; done' _ "$COMP/_kodbok" "$line" | words_of)
        [ "$got" = "$want" ] && ok || bad "zsh: '$line' gave '$got', wanted '$want'"
    done
else
    bad "zsh is not installed (tools/install-deps.sh installs it)"
fi

# fish: its own complete -C
if command -v fish >/dev/null; then
    for c in "${cases[@]}"; do
        line=${c%%|*} want=${c#*|}
        got=$(fish -c 'source $argv[1]; complete -C $argv[2]' "$COMP/kodbok.fish" "$line" | cut -f1 | words_of)
        [ "$got" = "$want" ] && ok || bad "fish: '$line' gave '$got', wanted '$want'"
    done
else
    bad "fish is not installed (tools/install-deps.sh installs it)"
fi

finish
