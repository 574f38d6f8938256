# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for silk-index(1).                                     -*- shell-script -*-
# Installed as share/bash-completion/completions/silk-index.

_silk_index() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD - 1]-}"
    local opts='--corpus --index --full --quiet --json --no-wait --max-size --jobs --flush-mb --progress --progress=json
--shards --shard --config --help'
    case "$prev" in
    --corpus | --index)
        compopt -o dirnames 2>/dev/null
        COMPREPLY=($(compgen -d -- "$cur"))
        return 0
        ;;
    --config)
        compopt -o filenames 2>/dev/null
        # shellcheck disable=SC2207
        COMPREPLY=($(compgen -f -- "$cur"))
        return 0
        ;;
    --max-size | --jobs | --flush-mb | --shards | --shard)
        COMPREPLY=()
        return 0
        ;;
    esac
    # shellcheck disable=SC2207
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return 0
}
complete -F _silk_index silk-index
