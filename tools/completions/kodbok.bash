# bash completion for kodbok: commands, each command's options (read from
# its --help, so they follow the program), and the project's own names
# where an option or argument takes one (from `kodbok __complete`).
# Installed as share/bash-completion/completions/kodbok; or source it.

# The words before the cursor: sets _kodbok_cmd (the command, or empty),
# _kodbok_p (-p FILE as given, to ask the same project) and _kodbok_npos
# (positional arguments of the command so far).
_kodbok_scan() {
    local i w takes
    _kodbok_cmd= _kodbok_p=() _kodbok_npos=0
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
        -p | --project)
            _kodbok_p=(-p "${COMP_WORDS[i + 1]}")
            ((i++))
            ;;
        --project=*) _kodbok_p=(-p "${w#--project=}") ;;
        -*)
            # an option that takes a value skips the word after it
            [ -n "$_kodbok_cmd" ] && [[ $w != *=* ]] &&
                _kodbok_takes_value "$w" && ((i++))
            ;;
        *)
            if [ -z "$_kodbok_cmd" ]; then _kodbok_cmd=$w; else ((_kodbok_npos++)); fi
            ;;
        esac
    done
}

# The command's options, from its --help.
_kodbok_options() {
    kodbok "${_kodbok_p[@]}" "$_kodbok_cmd" --help 2>/dev/null |
        grep -oE -- '(^|[ ,[(|])--?[a-zA-Z][a-zA-Z0-9-]*' | grep -oE -- '--?[a-zA-Z].*' | sort -u
}

# Whether option $1 takes a value: its --help shows a word after it.
_kodbok_takes_value() {
    kodbok "$_kodbok_cmd" --help 2>/dev/null |
        grep -qE -- "(^|[ ,[(|])$1[ =]([A-Z]|[a-z]+\|)"
}

_kodbok_names() {
    kodbok "${_kodbok_p[@]}" __complete "$1" 2>/dev/null
}

_kodbok() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local IFS=$'\n' kind=
    _kodbok_scan
    case $prev in
    -p | --project | -o | --output | --attrs | --reference)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --doc | --document) kind=documents ;;
    --case) kind=cases ;;
    --concept | --theme | --dimension | --code) kind=codes ;;
    --coder | --reviewer | --coders) kind=coders ;;
    esac
    if [ -z "$kind" ] && [ -z "$_kodbok_cmd" ]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W $'-p\n--project\n-h\n--help\n--version' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(kodbok --help 2>/dev/null |
                awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')" -- "$cur"))
        fi
        return
    fi
    if [ -z "$kind" ] && [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_kodbok_options)" -- "$cur"))
        return
    fi
    if [ -z "$kind" ]; then # a positional argument
        case $_kodbok_cmd:$_kodbok_npos in
        show:0 | tag:0 | untag:0 | feature:0) kind=documents ;;
        tag:1 | untag:1 | feature:1) kind=codes ;;
        docs:0) COMPREPLY=($(compgen -W $'rm\nmv' -- "$cur")) && return ;;
        docs:*) kind=documents ;;
        esac
    fi
    if [ -n "$kind" ]; then
        local pre=
        # --coders A,B,...: the name after the last comma
        [ "$prev" = --coders ] && [[ $cur == *,* ]] && pre=${cur%,*},
        COMPREPLY=($(compgen -P "$pre" -W "$(_kodbok_names "$kind")" -- "${cur##*,}"))
        [ "$prev" = --coders ] && compopt -o nospace 2>/dev/null
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _kodbok kodbok
