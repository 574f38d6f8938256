# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for silk(1), the silk search client.                    -*- shell-script -*-
# Completes options, a socket path after --socket, and the field names of the query
# language (silk-query(7)): kind: values, and section: words asked of the running daemon.
# Installed as share/bash-completion/completions/silk; needs nothing from bash-completion.

_silk_opts='-n --limit --offset --mode --any --format --json --facets --color= --socket
--config --start --ping --stats --reindex -h --help --version'
_silk_fields='title: section: kind: article: author: cites: year:'
_silk_kinds='lead paragraph infobox reference reading'

# _silk_words: the word under the cursor and the one before it, as the user sees them. bash
# splits words at every character of COMP_WORDBREAKS, ':' and '=' among them, so `kind:le`
# arrives as `kind` `:` `le`; the line itself (COMP_LINE up to COMP_POINT) split at blanks
# gives the real words. Without COMP_LINE, the pieces of COMP_WORDS are joined again.
# Sets _silk_cur and _silk_prev.
_silk_words() {
    local words=() line
    if [ -n "${COMP_LINE+set}" ]; then
        line="${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}}"
        read -r -a words <<<"$line"
        if [[ -z "$line" || "$line" == *[[:blank:]] ]]; then
            words+=("")
        fi
    else
        local i w n=-1
        for ((i = 0; i <= COMP_CWORD; i++)); do
            w="${COMP_WORDS[i]-}"
            if ((n >= 0)) && [[ "$w" == [:=] || "${words[n]}" == *[:=] ]]; then
                words[n]+="$w"
            else
                words[++n]="$w"
            fi
        done
    fi
    local n=${#words[@]}
    _silk_cur="${words[n - 1]-}"
    _silk_prev=""
    ((n > 1)) && _silk_prev="${words[n - 2]}"
    return 0
}

# _silk_reply CANDIDATE...: the candidates that start with $_silk_cur, with what bash has
# already split off before the last word-break character removed.
_silk_reply() {
    local c strip="" cur="$_silk_cur"
    local breaks="${COMP_WORDBREAKS-:=}"
    if [[ "$cur" == *[:=]* ]]; then
        local i ch
        for ((i = ${#cur} - 1; i >= 0; i--)); do
            ch="${cur:i:1}"
            if [[ "$ch" == [:=] && "$breaks" == *"$ch"* ]]; then
                strip="${cur:0:i+1}"
                break
            fi
        done
    fi
    COMPREPLY=()
    for c in "$@"; do
        [[ "$c" == "$cur"* ]] && COMPREPLY+=("${c#"$strip"}")
    done
}

# _silk_sections [ARGS...]: the words of the section headings of the indexed documents,
# asked of the running daemon (ARGS: a --socket option from the command line). Prints
# nothing, fast, when no daemon answers. Only the first 1000 hits are looked at.
_silk_sections() {
    local silk="${COMP_WORDS[0]:-silk}"
    command -v "$silk" >/dev/null 2>&1 || silk=silk
    local to=()
    command -v timeout >/dev/null 2>&1 && to=(timeout 2)
    "${to[@]}" "$silk" "$@" --json --limit 1000 \
        'kind:paragraph OR kind:reference OR kind:reading' 2>/dev/null |
        tr ',' '\n' | sed -n 's/^"section":"\([^"\\]*\)"$/\1/p' |
        sed 's/ › /\n/g' | tr ' ' '\n' | tr -d '()[],;:."' | tr '[:upper:]' '[:lower:]' |
        sed '/^$/d' | sort -u
}

_silk() {
    local _silk_cur _silk_prev
    _silk_words
    case "$_silk_prev" in
    --socket)
        COMPREPLY=()
        local f
        while IFS= read -r f; do
            [[ -S "$f" || -d "$f" ]] && COMPREPLY+=("$f")
        done < <(compgen -f -- "$_silk_cur")
        [ ${#COMPREPLY[@]} -eq 1 ] && [ -d "${COMPREPLY[0]}" ] && COMPREPLY=("${COMPREPLY[0]}/") &&
            compopt -o nospace 2>/dev/null
        return 0
        ;;
    --config)
        compopt -o filenames 2>/dev/null
        # shellcheck disable=SC2207
        COMPREPLY=($(compgen -f -- "$_silk_cur"))
        return 0
        ;;
    -n | --limit | --offset)
        COMPREPLY=()
        return 0
        ;;
    --mode)
        _silk_reply all any
        return 0
        ;;
    --format)
        _silk_reply text json ids
        return 0
        ;;
    --facets)
        # A comma-separated list: complete the name after the last comma.
        local head="" f c=()
        [[ "$_silk_cur" == *,* ]] && head="${_silk_cur%,*},"
        for f in kind year article section; do c+=("$head$f"); done
        _silk_reply "${c[@]}"
        return 0
        ;;
    esac
    case "$_silk_cur" in
    --color=* | --colour=*)
        _silk_reply --color=auto --color=always --color=never
        ;;
    --mode=*)
        _silk_reply --mode=all --mode=any
        ;;
    --format=*)
        _silk_reply --format=text --format=json --format=ids
        ;;
    -*)
        # shellcheck disable=SC2086
        _silk_reply $_silk_opts
        [[ ${#COMPREPLY[@]} -eq 1 && "${COMPREPLY[0]}" == *= ]] && compopt -o nospace 2>/dev/null
        ;;
    kind:*)
        local k c=()
        for k in $_silk_kinds; do c+=("kind:$k"); done
        _silk_reply "${c[@]}"
        ;;
    section:*)
        local s c=() sock=()
        local i
        for ((i = 1; i < COMP_CWORD; i++)); do
            if [[ "${COMP_WORDS[i]}" == --socket ]]; then
                sock=(--socket "${COMP_WORDS[i + 1]-}")
            fi
        done
        while IFS= read -r s; do c+=("section:$s"); done < <(_silk_sections "${sock[@]}")
        _silk_reply "${c[@]}"
        ;;
    *)
        # shellcheck disable=SC2086
        _silk_reply $_silk_fields
        [ ${#COMPREPLY[@]} -gt 0 ] && compopt -o nospace 2>/dev/null
        # The command word `show` (open a document by id) as the first word.
        local i first=1
        for ((i = 1; i < COMP_CWORD; i++)); do
            [[ "${COMP_WORDS[i]}" != -* && "${COMP_WORDS[i - 1]}" != --socket ]] && first=0
        done
        if ((first)) && [[ "show" == "$_silk_cur"* && -n "$_silk_cur" ]]; then
            COMPREPLY+=(show)
            compopt +o nospace 2>/dev/null
        fi
        ;;
    esac
    return 0
}
complete -F _silk silk
