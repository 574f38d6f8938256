# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for silk(1), the silk search client.
# Installed as share/fish/vendor_completions.d/silk.fish.

# The words of the section headings of the indexed documents, asked of the running daemon
# (at most the first 1000 hits); nothing, fast, when no daemon answers.
function __silk_sections
    set -l tokens (commandline -opc)
    set -l sock
    for i in (seq 2 (count $tokens))
        if test "$tokens[$i]" = --socket; and test $i -lt (count $tokens)
            set sock --socket $tokens[(math $i + 1)]
        else if string match -q -- '--socket=*' $tokens[$i]
            set sock --socket (string replace -- '--socket=' '' $tokens[$i])
        end
    end
    set -l to
    command -q timeout; and set to timeout 2
    $to $tokens[1] $sock --json --limit 1000 'kind:paragraph OR kind:reference OR kind:reading' 2>/dev/null |
        string split ',' | string replace -rf '^"section":"([^"\\\\]*)"$' '$1' |
        string split ' › ' | string split ' ' | string replace -ra '[()\[\],;:."]' '' |
        string lower | string match -rv '^$' | sort -u
end

# Completions of the query word under the cursor: field names, kind: values, section: words.
function __silk_query_word
    set -l cur (commandline -ct)
    switch $cur
        case 'kind:*'
            printf 'kind:%s\t%s\n' lead 'the first paragraph' paragraph 'a paragraph' \
                infobox 'the infobox' reference 'an item of References' \
                reading 'an item of Further reading'
        case 'section:*'
            for s in (__silk_sections)
                printf 'section:%s\tsection word\n' $s
            end
        case '*'
            printf '%s\t%s\n' title: 'article title word' section: 'section heading word' \
                kind: 'kind of document' article: 'article file name' \
                author: 'author name word' cites: 'cites reference N' \
                year: 'YYYY or FROM..TO'
    end
end

complete -c silk -f
complete -c silk -s n -l limit -x -d 'Hits to show (default 10)'
complete -c silk -l offset -x -d 'Hits to skip first (default 0)'
complete -c silk -l mode -x -a 'all any' -d 'All words (default) or any'
complete -c silk -l any -d 'Match any word, ranked (--mode any)'
complete -c silk -l format -x -a 'text json ids' -d 'Output format'
complete -c silk -l json -d 'Print the JSON answer of silkd (--format json)'
complete -c silk -l facets -x -a 'kind year article section' -d 'Count matches by facet (comma-separated)'
complete -c silk -n '__fish_is_first_arg' -a show -d 'Open a document by id, with its cites and cited_by'
complete -c silk -l color -x -a 'auto always never' -d 'Bold matches'
complete -c silk -l socket -r -F -d 'Socket of silkd'
complete -c silk -l config -r -F -d 'The configuration file (silk.conf(5))'
complete -c silk -l start -d 'Start silkd when none answers'
complete -c silk -l ping -d 'Check that silkd answers'
complete -c silk -l stats -d 'Print the statistics of silkd'
complete -c silk -l reindex -d 'Have silkd re-index its corpus now'
complete -c silk -s h -l help -d 'Print help'
complete -c silk -l version -d 'Print the version'
complete -c silk -n 'not string match -q -- "-*" (commandline -ct)' -a '(__silk_query_word)'
