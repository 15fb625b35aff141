# fish completion for kodbok: commands with their summaries, each command's
# options (read from its --help, so they follow the program), and the
# project's own names where an option or argument takes one (from `kodbok
# __complete`). Installed as share/fish/vendor_completions.d/kodbok.fish.

# -p FILE as given on the command line, to ask the same project
function __kodbok_project
    set -l words (commandline -opc)
    for i in (seq 2 (count $words))
        switch $words[$i]
            case -p --project
                set -l next (math $i + 1)
                test $next -le (count $words); and echo -p; and echo $words[$next]
            case '--project=*'
                echo -p; string replace -- --project= '' $words[$i]
        end
    end
end

function __kodbok_names
    kodbok (__kodbok_project) __complete $argv 2>/dev/null
end

function __kodbok_commands
    kodbok --help 2>/dev/null | awk '/^Commands:/ { on = 1; next }
        on && /^$/ { exit } on { n = $1; $1 = ""; sub(/^ +/, ""); print n "\t" $0 }'
end

# The words before the cursor: the command given (nothing when none yet)
# on one line, then how many positional arguments it has so far (options
# and the values of those that take one left out).
function __kodbok_scan
    set -l words (commandline -opc)
    set -l cmd
    set -l n 0
    set -l skip 0
    for w in $words[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case -p --project
                set skip 1
            case '-*'
                if test -n "$cmd"; and not string match -q -- '*=*' $w
                    kodbok $cmd --help 2>/dev/null |
                        string match -qr -- '(^|[ ,\[(|])'$w'[ =]([A-Z]|[a-z]+\|)'
                    and set skip 1
                end
            case '*'
                if test -z "$cmd"
                    set cmd $w
                else
                    set n (math $n + 1)
                end
        end
    end
    echo $cmd
    echo $n
end

function __kodbok_command
    __kodbok_scan | head -n 1
end

# the command's options, from its --help
function __kodbok_options
    set -l cmd (__kodbok_command)
    kodbok (__kodbok_project) $cmd --help 2>/dev/null |
        string match -ar -- '(?:^|[ ,\[(|])(--?[a-zA-Z][a-zA-Z0-9-]*)' |
        string match -r -- '^--?[a-zA-Z].*' | sort -u
end

function __kodbok_has_command
    set -l cmd (__kodbok_command)
    test -n "$cmd"
end

function __kodbok_at -a cmds pos
    set -l at (__kodbok_scan)
    contains -- "$at[1]" (string split , $cmds); and test "$at[2]" = $pos
end

complete -c kodbok -f
complete -c kodbok -n 'not __kodbok_has_command' -s p -l project -r -F -d 'the project file'
complete -c kodbok -n 'not __kodbok_has_command' -l version -d 'print the version'
complete -c kodbok -n 'not __kodbok_has_command' -a '(__kodbok_commands)'
complete -c kodbok -n '__kodbok_has_command; and string match -q -- "-*" (commandline -ct)' -a '(__kodbok_options)'
complete -c kodbok -n '__kodbok_has_command' -l doc -l document -x -a '(__kodbok_names documents)'
complete -c kodbok -n '__kodbok_has_command' -l case -x -a '(__kodbok_names cases)'
complete -c kodbok -n '__kodbok_has_command' -l concept -l theme -l dimension -l code -x -a '(__kodbok_names codes)'
complete -c kodbok -n '__kodbok_has_command' -l coder -l reviewer -x -a '(__kodbok_names coders)'
complete -c kodbok -n '__kodbok_has_command' -l coders -x -a '(__fish_append , (__kodbok_names coders))'
complete -c kodbok -n '__kodbok_has_command' -s o -l output -l attrs -l reference -r -F
complete -c kodbok -n '__kodbok_at show,tag,untag,feature 0' -a '(__kodbok_names documents)'
complete -c kodbok -n '__kodbok_at docs 0' -a 'rm mv'
complete -c kodbok -n '__kodbok_at tag,untag,feature 1' -a '(__kodbok_names codes)'
complete -c kodbok -n '__kodbok_at docs 1; or __kodbok_at docs 2' -a '(__kodbok_names documents)'
complete -c kodbok -n '__kodbok_has_command; and not __kodbok_at show,tag,untag,feature,docs 0; and not __kodbok_at tag,untag,feature,docs 1' -F
