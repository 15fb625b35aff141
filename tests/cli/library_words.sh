#!/usr/bin/env bash
# The library speaks its own terms (kodbok.h's arguments and calls), so that
# another front end can put its own words in: no string literal in core/src
# names an option of the command line ("--nth", "-p") or one of its commands
# ("kodbok code"). The commands are those `kodbok --help` lists; "a kodbok
# codebook" and "a kodbok tags file" name kinds of file, not commands.
# Adjacent literals are joined first, as the compiler joins them; comments
# and character constants are skipped.
source "$(dirname "$0")/lib/common.bash"

commands=$("$KODBOK" --help | awk '/^Commands:/ { on = 1; next }
    on && NF == 0 { exit } on { print $1 }' | paste -sd'|')
[ -n "$commands" ] && ok || bad "no commands in 'kodbok --help'"

# check FILE...: prints FILE:LINE: "LITERAL" for each literal that names
# an option or a command.
check() {
    COMMANDS=$commands perl -e '
        my $cmds = $ENV{COMMANDS};
        for my $file (@ARGV) {
            open my $fh, "<", $file or die "$file: $!";
            my $src = do { local $/; <$fh> };
            my (@lits, $cur, $end);
            while ($src =~ m{(/\*.*?\*/)|(//[^\n]*)|("(?:\\.|[^"\\\n])*")|(\x27(?:\\.|[^\x27\\\n])+\x27)}gs) {
                next unless defined $3;
                my ($at, $to, $text) = ($-[3], $+[3], substr($3, 1, -1));
                if ($cur && substr($src, $end, $at - $end) =~ /^\s*$/) {
                    $cur->[1] .= $text;
                } else {
                    my $line = 1 + (substr($src, 0, $at) =~ tr/\n//);
                    push @lits, $cur = [$line, $text];
                }
                $end = $to;
            }
            for (@lits) {
                my ($line, $t) = @$_;
                print "$file:$line: \"$t\"\n"
                    if $t =~ /(?:^|(?<=[\s(\[\x27`]))--?[a-zA-Z]/
                    || $t =~ /(?<!\ba )\bkodbok (?:$cmds)\b/;
            }
        }' "$@"
}

found=$(check "$SRC"/core/src/*/*.[ch] "$SRC"/core/include/kodbok.h)
[ -z "$found" ] && ok || bad "library strings that name the command line:
$found"

# The check finds what it is for (and not comments).
cat >"$TMP/probe.c" <<'EOF'
/* a comment may say --nth and 'kodbok code' */
static const char *a = "choose one with --nth 1 to 3";
static const char *b = "no runs yet (run 'kodbok "
                       "code CODEBOOK')";
static const char *c = "name one with -p";
static const char *d = "not a kodbok codebook, not a kodbok tags file";
static const char *e = "%-*s %-10s a -> b, utf-8, x-y, a,-apple";
static const char q = '"';
static const char *f = "give `nth` (see `kb_project_tags`)";
EOF
probe=$(check "$TMP/probe.c")
[ "$(printf '%s\n' "$probe" | grep -c .)" = 3 ] &&
    grep -q ':2: "choose one with --nth' <<<"$probe" &&
    grep -q ":3: \"no runs yet (run 'kodbok code CODEBOOK')\"" <<<"$probe" &&
    grep -q ':5: "name one with -p"' <<<"$probe" && ok ||
    bad "the check found other than lines 2, 3 and 5 of its probe: $probe"
finish
